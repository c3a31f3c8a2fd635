// Shared types of the notifier: what a notification is, what a parsed target is,
// and the one interface every service module implements.
import type { ParsedUrl } from './url';

export const NOTIFY_TYPES = ['info', 'success', 'warning', 'failure'] as const;
export type NotifyType = (typeof NOTIFY_TYPES)[number];
export const NOTIFY_FORMATS = ['text', 'markdown', 'html'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];
export type Overflow = 'upstream' | 'truncate' | 'split';

/** A file sent with a notification (msg.attachments), read into memory. */
export interface Attachment {
  name: string;
  data: Buffer;
  mimetype: string;
}

/** One notification as the user asked for it (before conversion and splitting). */
export interface Notification {
  title: string;
  body: string;
  type: NotifyType;
  format: NotifyFormat;
  /**
   * The text may carry the service's own markup (secflow-notify's allowMarkup):
   * Slack then sends `<!channel>` and `<url|label>` as written instead of escaping them.
   */
  markup?: boolean;
  attachments?: Attachment[];
}

/** What a service takes in files: limits, or why it takes none. */
export type AttachmentSupport = { maxBytes: number; maxCount: number } | { refused: string };

/** Service name → base URL (self-hosted gateways, proxies, emulators). */
export type Endpoints = Record<string, string>;

/** Options every URL may carry (Apprise generic options, R1/S6). */
export interface CommonOptions {
  format?: NotifyFormat;
  overflow: Overflow;
  retry: number;
  waitMs: number;
  verify: boolean;
  connectTimeoutMs: number;
  readTimeoutMs: number;
}

/** A service's per-target configuration after parsing; `secrets` are scrubbed from every text. */
export interface ParsedTarget<C> {
  config: C;
  /** Values that must never appear in logs, status, errors or output. */
  secrets: string[];
  /** The URL in privacy form (R3). */
  masked: string;
  warnings?: string[];
}

/** Limits of a service (S5). */
export interface ServiceLimits {
  /** Body limit in characters for a message part (per native format). */
  body: number;
  title: number;
  /** The title is folded into the body of part 1 (its length counts against the limit). */
  titleInBody?: boolean;
}

/** Token bucket settings (S10): `capacity` tokens, refilled fully over `perMs`. */
export interface RateSettings {
  capacity: number;
  perMs: number;
}

/** One HTTP request as built by a service; sent through HttpClient. */
export interface HttpSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Reads a 2xx body that may still say "failed" (Slack bot, Telegram, Pushover). */
  check?: (body: string) => string | undefined;
  /** The follow-up request built from this one's 2xx body (Matrix: login → join → send). */
  then?: (body: string) => HttpSpec | undefined;
  /** Called when this request fails (e.g. to forget a cached session token). */
  onFailure?: (status?: number) => void;
}

/** Converted, limit-sized part of a notification handed to `build`. */
export interface Part {
  title: string;
  body: string;
  type: NotifyType;
  /** The format of `body` (the service's native format after conversion). */
  format: NotifyFormat;
  /** The format the user wrote in (some services choose a layout by it). */
  inputFormat: NotifyFormat;
  /** See Notification.markup. */
  markup?: boolean;
  /** Files, on the first part only (checked against the service's limits). */
  attachments?: Attachment[];
}

export interface BuildContext {
  endpoints: Endpoints;
  /** Seconds since the epoch, for timestamps in payloads (fixed in tests). */
  now: () => number;
}

/**
 * One notification service. Adding a service means adding one module that
 * exports a ServiceDef and listing it in services/index.ts.
 */
export interface ServiceDef<C = unknown, R = unknown> {
  name: string;
  /** URL schemes this module owns (lower case). */
  schemes: string[];
  /** True for a native https URL of this service (e.g. hooks.slack.com). */
  matchesNative?: (url: ParsedUrl) => boolean;
  /** Validates and reads a URL; throws NotifyUrlError with a masked message. */
  parse(url: ParsedUrl): ParsedTarget<C>;
  /** Native body format (S5): the input is converted to it before splitting. */
  nativeFormat(config: C, input: NotifyFormat): NotifyFormat;
  limits(config: C, native: NotifyFormat): ServiceLimits;
  /** Files this service takes (absent: none). */
  attachments?: (config: C) => AttachmentSupport;
  /** Default throttle; null means the transport throttles (SMTP pool). */
  rate: RateSettings | null;
  /** Builds the requests for one part (one per channel/chat/recipient). */
  build(config: C, part: Part, ctx: BuildContext): R[];
  /** 'http' requests go through HttpClient; others name their transport. */
  transport: 'http' | 'discord' | 'email' | 'sns';
}
