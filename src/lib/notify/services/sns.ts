// AWS SNS (Apprise sns://): sns://[SESSIONTOKEN@]ACCESS_KEY_ID/SECRET_KEY/REGION/TARGET…
// where the region (xx-area-N) ends the secret key (which may hold '/'), and targets
// are phone numbers (+E.164, SMS) or #topics; also ?access= (?key=), ?secret=,
// ?region=, ?to=, ?token=, mode=sms|topic. Sent through @aws-sdk/client-sns by
// transports/sns.ts: topics are created (idempotent CreateTopic) to get their ARN,
// then published with the title as Subject; SMS carries the title folded in.
import { maskToken } from '../mask';
import { NotifyUrlError, listOption } from '../url';
import type { ServiceDef } from '../types';

export interface SnsConfig {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  mode: 'sms' | 'topic';
  phones: string[];
  topics: string[];
}

/** One SNS publish, as the transport performs it. */
export type SnsMessage =
  | { kind: 'sms'; phone: string; message: string }
  | { kind: 'topic'; topic: string; subject?: string; message: string };

const REGION = /^\s*([a-z]{2})-([a-z-]+?)-(\d+)\s*$/i;
const TOPIC = /^#?([A-Za-z0-9_-]+)$/;

function phone(text: string): string | undefined {
  const digits = text.replace(/[\s().-]/g, '');
  return /^\+?\d{10,14}$/.test(digits) ? `+${digits.replace(/^\+/, '')}` : undefined;
}

export const sns: ServiceDef<SnsConfig, SnsMessage> = {
  name: 'sns',
  schemes: ['sns'],
  parse(url) {
    const o = url.options;
    const segments = [...url.segments];
    const at = segments.findIndex((s) => REGION.test(s));
    const secretParts = at >= 0 ? segments.slice(0, at) : segments;
    const targets = [...(at >= 0 ? segments.slice(at + 1) : []), ...listOption(o.to)];
    const accessKeyId = o.key || o.access || url.host;
    const secretAccessKey = o.secret || secretParts.join('/');
    const regionMatch = REGION.exec(o.region || (at >= 0 ? segments[at] : ''));
    const sessionToken = o.token || url.user || undefined;
    const masked = `sns://${maskToken(accessKeyId)}/${maskToken(secretAccessKey)}/${regionMatch ? regionMatch[0].trim().toLowerCase() : ''}/${targets.join('/')}`;
    if (!accessKeyId) throw new NotifyUrlError(`${masked}: the access key id is missing (sns://KEY_ID/SECRET/REGION/TARGET)`);
    if (!secretAccessKey) throw new NotifyUrlError(`${masked}: the secret access key is missing`);
    if (!regionMatch) throw new NotifyUrlError(`${masked}: the region (e.g. us-east-1) is missing`);
    const warnings: string[] = [];
    const phones: string[] = [];
    const topics: string[] = [];
    for (const t of targets) {
      const p = phone(t);
      const topic = TOPIC.exec(t)?.[1];
      if (p) phones.push(p);
      else if (topic) topics.push(topic);
      else warnings.push(`${masked}: "${t}" is neither a phone number nor a topic; ignored`);
    }
    if (!phones.length && !topics.length) throw new NotifyUrlError(`${masked}: a phone number or #topic is needed`);
    const modeText = o.mode?.toLowerCase();
    const mode = modeText ? (['sms', 'topic'].find((m) => m.startsWith(modeText)) as SnsConfig['mode'] | undefined) : topics.length ? 'topic' : 'sms';
    if (!mode) throw new NotifyUrlError(`${masked}: mode=${modeText} must be sms or topic`);
    return {
      config: {
        accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}),
        region: `${regionMatch[1]}-${regionMatch[2]}-${regionMatch[3]}`.toLowerCase(), mode, phones, topics,
      },
      secrets: [secretAccessKey, ...(sessionToken ? [sessionToken] : [])],
      masked,
      warnings,
    };
  },
  nativeFormat: () => 'text',
  limits: (c) => (c.mode === 'topic' ? { body: 256000, title: 100 } : { body: 160, title: 100, titleInBody: true }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part) {
    const folded = part.title ? `${part.title}\r\n${part.body}` : part.body;
    return [
      ...config.phones.map((p): SnsMessage => ({ kind: 'sms', phone: p, message: folded })),
      ...config.topics.map((topic): SnsMessage => ({
        kind: 'topic', topic, message: config.mode === 'topic' ? part.body || ' ' : folded,
        ...(config.mode === 'topic' && part.title ? { subject: part.title.slice(0, 100) } : {}),
      })),
    ];
  },
  transport: 'sns',
};
