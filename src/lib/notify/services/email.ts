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
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/** As Apprise: an address that is not one is dropped with a warning (the others still get mail). */
function addresses(list: string[], field: string, mask: string, warnings: string[]): string[] {
  return list.filter((a) => {
    if (ADDRESS.test(a)) return true;
    warnings.push(`${mask}: ${field} address "${a}" is not an e-mail address; ignored`);
    return false;
  });
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
    const user = url.user?.trim() || url.options.user?.trim() || undefined;
    const pass = url.password ?? url.options.pass;
    const host = url.options.smtp || url.host;
    const mask = `${url.scheme}://${user ? `${user}${pass ? `:${maskPassword(pass)}` : ''}@` : ''}${url.host}${url.portText !== undefined ? `:${url.port ?? maskToken(url.portText)}` : ''}/`;
    if (!host) throw new NotifyUrlError(`${mask}: the SMTP host is missing`);
    if (pass !== undefined && !user) throw new NotifyUrlError(`${mask}: a password needs a user (mailto://USER:PASS@host)`);
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
    const derived = user ? (user.includes('@') ? user : `${user}@${domainHost}`) : `secflow@${domainHost}`;
    const readFrom = (text: string) => {
      const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(text);
      return { name: m?.[1] ?? '', address: (m?.[2] ?? text).trim() };
    };
    let written = readFrom(url.options.from || url.options.fromaddress || derived);
    if (!ADDRESS.test(written.address) && (url.options.from || url.options.fromaddress)) {
      // Apprise falls back to the address made of the user and host.
      warnings.push(`${mask}: from address "${written.address}" is not an e-mail address; ${derived} is used`);
      written = readFrom(derived);
    }
    if (!ADDRESS.test(written.address)) throw new NotifyUrlError(`${mask}: from address "${written.address}" is not an e-mail address`);
    const from = { name: url.options.name || written.name || 'secflow', address: written.address };
    const toWritten = [...url.segments.filter((s) => s.includes('@')), ...listOption(url.options.to), ...listOption(url.options.toaddresses)];
    const to = addresses(toWritten, 'to', mask, warnings);
    if (toWritten.length && !to.length) throw new NotifyUrlError(`${mask}: no valid recipient among ${toWritten.length} written`);
    if (to.length === 0) to.push(from.address);
    return {
      config: {
        host, port, secure, requireTLS, ignoreTLS: insecure, rejectUnauthorized: verify, auth, from, to,
        cc: addresses(listOption(url.options.cc), 'cc', mask, warnings),
        bcc: addresses(listOption(url.options.bcc), 'bcc', mask, warnings),
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
  // A common mail-server message limit (Gmail and Microsoft 365 take 25 MB with encoding overhead).
  attachments: () => ({ maxBytes: 18 * 1024 * 1024, maxCount: 20 }),
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
      if (part.attachments?.length) message.attachments = part.attachments.map((f) => ({ filename: f.name, content: f.data, contentType: f.mimetype }));
      return message;
    });
  },
  transport: 'email',
};
