// Reading a notification from a message (S3): body from msg.payload, title from
// msg.topic, type from msg.notifyType, format from msg.format, tags from msg.tag,
// or an apprise-api style payload {urls, body, title, type, format, tag}.
import { NOTIFY_FORMATS, NOTIFY_TYPES, type Notification, type NotifyFormat, type NotifyType } from './types';
import type { TagSelector } from './tags';
import { assertNesting } from '../util/nesting';

export interface NotifyRequest {
  notification: Notification;
  tags: TagSelector;
  /** URLs from an apprise-api payload (used only when allowed). */
  urls?: string[];
  warnings: string[];
}

export interface InputDefaults {
  type: NotifyType;
  format: NotifyFormat;
  tag?: TagSelector;
}

export function bodyText(value: unknown, field = 'msg.payload'): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object') {
    assertNesting(value, field);
    return JSON.stringify(value, null, 2);
  }
  return String(value);
}

function tagSelector(value: unknown, field: string): TagSelector {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new Error(`${field} must be a string or an array of strings`);
}

function urlList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  throw new Error('msg.payload.urls must be a string or an array of URLs');
}

export function readRequest(msg: Record<string, unknown>, defaults: InputDefaults): NotifyRequest {
  const warnings: string[] = [];
  const payload = msg.payload;
  const apprise = payload !== null && typeof payload === 'object' && !Buffer.isBuffer(payload) && !Array.isArray(payload)
    && typeof (payload as Record<string, unknown>).body === 'string' ? payload as Record<string, unknown> : undefined;
  const typeValue = apprise?.type ?? msg.notifyType;
  let type = defaults.type;
  if (typeValue !== undefined && typeValue !== null && typeValue !== '') {
    if ((NOTIFY_TYPES as readonly unknown[]).includes(typeValue)) type = typeValue as NotifyType;
    else warnings.push(`${apprise?.type !== undefined ? 'msg.payload.type' : 'msg.notifyType'} ${JSON.stringify(typeValue)} is not info, success, warning or failure; using info`);
  }
  const formatValue = apprise?.format ?? msg.format;
  let format = defaults.format;
  if (formatValue !== undefined && formatValue !== null && formatValue !== '') {
    if (!(NOTIFY_FORMATS as readonly unknown[]).includes(formatValue)) throw new Error(`msg.format must be text, markdown or html; got ${JSON.stringify(formatValue)}`);
    format = formatValue as NotifyFormat;
  }
  const body = apprise ? String(apprise.body) : bodyText(payload);
  const title = bodyText(apprise?.title ?? msg.topic, apprise?.title !== undefined ? 'msg.payload.title' : 'msg.topic');
  const tags = apprise && apprise.tag !== undefined ? tagSelector(apprise.tag, 'msg.payload.tag') : msg.tag !== undefined ? tagSelector(msg.tag, 'msg.tag') : defaults.tag;
  return { notification: { title, body, type, format }, tags, urls: apprise ? urlList(apprise.urls) : undefined, warnings };
}
