// E-mail (U, S8): mailto://, mailtos:// (Apprise) and smtp:// (Shoutrrr), sent
// through a nodemailer pool by transports/email.ts. With credentials and no
// mode=insecure, requireTLS is forced so AUTH never goes out in plaintext.
import { maskPassword, maskToken } from '../mask';
import { NotifyUrlError, type ParsedUrl, listOption, yesNo } from '../url';
import { htmlToText, sanitizeLinks } from '../format';
import type { ServiceDef } from '../types';

export interface EmailConfig {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  ignoreTLS: boolean;
  rejectUnauthorized: boolean;
  auth?: { user: string; pass: string };
  from: { name: string; address: string };
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo?: string;
  subject?: string;
}

/** The nodemailer message for one recipient. */
export interface EmailMessage {
  from: { name: string; address: string };
  to: string;
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
}

const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+$/;

function addresses(list: string[], field: string, mask: string): string[] {
  for (const a of list) if (!ADDRESS.test(a)) throw new NotifyUrlError(`${mask}: ${field} address "${a}" is not an e-mail address`);
  return list;
}

type Mode = 'default' | 'ssl' | 'starttls' | 'insecure';

function shoutrrrMode(url: ParsedUrl): Mode {
  const enc = (url.options.encryption ?? '').toLowerCase();
  if (enc === 'implicittls') return 'ssl';
  if (enc === 'explicittls') return 'starttls';
  if (enc === 'none') return 'insecure';
  if (url.options.usestarttls !== undefined && !yesNo(url.options.usestarttls, true)) return 'insecure';
  return 'default';
}

export const email: ServiceDef<EmailConfig, EmailMessage> = {
  name: 'email',
  schemes: ['mailto', 'mailtos', 'smtp'],
  parse(url) {
    const shoutrrr = url.scheme === 'smtp';
    const user = url.user || url.options.user || undefined;
    const pass = url.password ?? url.options.pass;
    const host = url.options.smtp || url.host;
    const mask = `${url.scheme}://${user ? `${user}${pass ? `:${maskPassword(pass)}` : ''}@` : ''}${url.host}${url.portText !== undefined ? `:${url.port ?? maskToken(url.portText)}` : ''}/`;
    if (!host) throw new NotifyUrlError(`${mask}: the SMTP host is missing`);
    if (url.portText !== undefined && url.port === undefined) throw new NotifyUrlError(`${mask}: the port must be a number`);
    const modeText = (url.options.mode ?? '').toLowerCase();
    if (modeText && !['ssl', 'starttls', 'insecure'].includes(modeText)) throw new NotifyUrlError(`${mask}: mode=${modeText} must be ssl, starttls or insecure`);
    const mode: Mode = (modeText as Mode) || (shoutrrr ? shoutrrrMode(url) : 'default');
    const secure = mode === 'ssl' || (mode === 'default' && url.port === 465);
    const port = url.port ?? (mode === 'ssl' ? 465 : url.scheme === 'mailtos' ? 587 : 25);
    const auth = user && pass !== undefined ? { user, pass } : undefined;
    const insecure = mode === 'insecure';
    const requireTLS = !secure && !insecure && (url.scheme === 'mailtos' || mode === 'starttls' || auth !== undefined);
    const warnings: string[] = [];
    if (auth && insecure) warnings.push(`${mask}: mode=insecure sends the SMTP credentials over an unencrypted connection`);
    const verify = !yesNo(url.options.skiptlsverify, false) && yesNo(url.options.verify, true);
    const domainHost = url.host.includes('.') ? url.host : 'localhost';
    const fromText = url.options.from || url.options.fromaddress || (user ? (user.includes('@') ? user : `${user}@${domainHost}`) : `secflow@${domainHost}`);
    const fromMatch = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(fromText);
    const from = { name: url.options.name || fromMatch?.[1] || 'secflow', address: (fromMatch?.[2] ?? fromText).trim() };
    addresses([from.address], 'from', mask);
    const to = addresses([...url.segments.filter((s) => s.includes('@')), ...listOption(url.options.to), ...listOption(url.options.toaddresses)], 'to', mask);
    if (to.length === 0) to.push(from.address);
    return {
      config: {
        host, port, secure, requireTLS, ignoreTLS: insecure, rejectUnauthorized: verify, auth, from, to,
        cc: addresses(listOption(url.options.cc), 'cc', mask),
        bcc: addresses(listOption(url.options.bcc), 'bcc', mask),
        replyTo: url.options.reply || undefined,
        subject: url.options.subject || undefined,
      },
      secrets: pass ? [pass] : [],
      masked: mask,
      warnings,
    };
  },
  nativeFormat: (_c, input) => (input === 'text' ? 'text' : 'html'),
  limits: () => ({ body: Number.MAX_SAFE_INTEGER, title: 998 }),
  rate: null,
  build(config, part) {
    const firstLine = (part.format === 'html' ? htmlToText(part.body) : part.body).split('\n').find((l) => l.trim()) ?? '';
    const subject = (part.title || config.subject || firstLine.trim()).slice(0, part.title || config.subject ? 998 : 78);
    return config.to.map((to) => {
      const message: EmailMessage = { from: config.from, to, subject, text: part.format === 'html' ? htmlToText(part.body) : part.body };
      if (part.format === 'html') message.html = sanitizeLinks(part.body);
      if (config.cc.length) message.cc = config.cc;
      if (config.bcc.length) message.bcc = config.bcc;
      if (config.replyTo) message.replyTo = config.replyTo;
      return message;
    });
  },
  transport: 'email',
};
