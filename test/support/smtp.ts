// A real SMTP server on loopback (npm smtp-server) for e-mail tests and the demo
// sandbox: plain (no STARTTLS), STARTTLS (smtp-server's built-in self-signed
// certificate) or implicit TLS, optional AUTH, recording envelope, AUTH user and
// the raw message of each mail.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export type SmtpMode = 'plain' | 'starttls' | 'tls';

export interface ReceivedMail {
  from: string;
  to: string[];
  user?: string;
  secure: boolean;
  raw: string;
  headers: Record<string, string>;
  body: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Resolves when `count` mails have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SmtpOptions {
  mode: SmtpMode;
  /** Accepted credentials; without them AUTH is optional and any login is accepted. */
  auth?: { user: string; pass: string };
  port?: number;
  key?: string | Buffer;
  cert?: string | Buffer;
  onMail?: (mail: ReceivedMail) => void;
}

/** Header block → lower-cased name → unfolded value (first occurrence wins). */
export function parseHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) {
      const name = line.slice(0, i).trim().toLowerCase();
      headers[name] ??= line.slice(i + 1).trim();
    }
  }
  return { headers, body };
}

export async function startSmtp(options: SmtpOptions): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const serverOptions: SMTPServerOptions = {
    secure: options.mode === 'tls',
    logger: false,
    disabledCommands: options.mode === 'plain' ? ['STARTTLS'] : [],
    authOptional: !options.auth,
    // Over plain connections AUTH must still be possible so tests can prove the client refuses it.
    allowInsecureAuth: options.mode === 'plain',
    ...(options.key && options.cert ? { key: options.key, cert: options.cert } : {}),
    onAuth(auth, _session, callback) {
      if (options.auth && (auth.username !== options.auth.user || auth.password !== options.auth.pass)) {
        return callback(new Error('Invalid username or password'));
      }
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, body } = parseHeaders(raw);
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          secure: session.secure,
          raw, headers, body,
        };
        mails.push(mail);
        options.onMail?.(mail);
        for (const w of waiters.filter((w) => mails.length >= w.count)) w.resolve();
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => { /* client resets are expected in tests */ });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    waitFor(count, timeoutMs = 20_000) {
      if (mails.length >= count) return Promise.resolve(mails);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} mails, got ${mails.length} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(mails); } });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
