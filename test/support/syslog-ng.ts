// Runs the real syslog-ng (Debian `syslog-ng-core`, /usr/sbin/syslog-ng) for a
// test: foreground, its own config/persist/pid/control files in a temp dir, no
// system sources, listening on free loopback ports, writing every received
// message to one file with a template the test can compare exactly.
//
// Source drivers, chosen so that RFC 3164, RFC 5424 and header-less lines are
// all accepted and parsed:
// - udp            → syslog(transport(udp))        (one message per datagram)
// - tcp/tls + lf   → network(flags(syslog-protocol)) (LF-delimited)
// - tcp/tls + octet→ syslog(transport(tcp|tls))    (RFC 6587 octet counting)
// Every source stores the raw message, so ${RAWMSG} is exactly the bytes the
// sender framed (without the LF or the length prefix).
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SYSLOG_NG_BINARY = '/usr/sbin/syslog-ng';

export interface SyslogNgSource {
  protocol: 'udp' | 'tcp' | 'tls';
  /** TCP/TLS only; default 'lf'. */
  framing?: 'lf' | 'octet';
  /** Required for 'tls'. `caDir` (a hashed CA directory) and `peerVerify` only matter for client certificates. */
  tls?: { keyFile: string; certFile: string; caDir?: string; peerVerify?: 'optional-untrusted' | 'optional-trusted' | 'required-untrusted' | 'required-trusted' };
  /** A fixed port (e.g. to start again on the same port); default a free one. */
  port?: number;
}

/**
 * What each received message is written as (one line per message):
 * - 'raw' (default): `${RAWMSG}`, the message exactly as sent, without framing;
 * - 'message': `${MESSAGE}`, the text after the parsed syslog header;
 * - 'json': one JSON object per line with source, pri, facility, severity, host,
 *   program, message and raw (safe for messages that contain line breaks);
 * - anything else: a syslog-ng template expression (without the trailing \n).
 */
export type SyslogNgTemplate = 'raw' | 'message' | 'json' | string;

export interface SyslogNgOptions {
  sources: SyslogNgSource[];
  /** Where messages are written; default `received.log` in the temp dir. Appended to across restarts. */
  destinationFile?: string;
  template?: SyslogNgTemplate;
  /** Appended to the generated configuration (own sources/destinations/log paths). */
  extraConfig?: string;
  /** How long to wait for the ports to listen; default 15 s. */
  startTimeoutMs?: number;
}

/** A line written with the 'json' template. */
export interface SyslogNgRecord {
  source: string;
  pri?: string;
  facility?: string;
  severity?: string;
  host?: string;
  program?: string;
  message?: string;
  raw?: string;
}

export interface SyslogNgHandle {
  /** One port per source, in the order given. */
  ports: number[];
  outFile: string;
  dir: string;
  /** Lines of the destination file so far (without the trailing empty one). */
  readLines(): string[];
  /** The lines once there are at least `n` (default timeout 20 s), or rejects saying how many came. */
  waitForLines(n: number, timeoutMs?: number): Promise<string[]>;
  /** readLines() parsed, for the 'json' template. */
  readRecords(): SyslogNgRecord[];
  /** syslog-ng's own log (internal() source), for diagnosing a failure. */
  internalLog(): string;
  /** Starts syslog-ng again on the same ports, after stop(). */
  restart(): Promise<void>;
  /** Stops syslog-ng (SIGTERM, SIGKILL after 5 s); `kill: true` sends SIGKILL at once. */
  stop(opts?: { kill?: boolean }): Promise<void>;
  readonly running: boolean;
}

const JSON_TEMPLATE =
  '$(format-json source=${SOURCE} pri=${PRI} facility=${FACILITY} severity=${SEVERITY} host=${HOST} program=${PROGRAM} message=${MESSAGE} raw=${RAWMSG})';

function templateExpression(template: SyslogNgTemplate): string {
  if (template === 'raw') return '${RAWMSG}';
  if (template === 'message') return '${MESSAGE}';
  if (template === 'json') return JSON_TEMPLATE;
  return template;
}

/** A syslog-ng string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

async function freePort(protocol: 'udp' | 'tcp'): Promise<number> {
  if (protocol === 'udp') {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function sourceConfig(name: string, source: SyslogNgSource, port: number): string {
  const common = `ip("127.0.0.1") port(${port})`;
  if (source.protocol === 'udp') return `source ${name} { syslog(${common} transport("udp") flags(store-raw-message)); };`;
  let tls = '';
  if (source.protocol === 'tls') {
    if (!source.tls) throw new Error(`syslog-ng source ${name}: protocol tls needs tls.keyFile and tls.certFile`);
    tls = ` tls(key-file(${quote(source.tls.keyFile)}) cert-file(${quote(source.tls.certFile)})${source.tls.caDir ? ` ca-dir(${quote(source.tls.caDir)})` : ''} peer-verify(${source.tls.peerVerify ?? 'optional-untrusted'}))`;
  }
  const transport = `transport(${quote(source.protocol)})${tls}`;
  if ((source.framing ?? 'lf') === 'octet') return `source ${name} { syslog(${common} ${transport} flags(store-raw-message)); };`;
  return `source ${name} { network(${common} ${transport} flags(syslog-protocol, store-raw-message)); };`;
}

/** True when something listens on 127.0.0.1:port (read from /proc/net, so no connection is made). */
function listening(protocol: 'udp' | 'tcp', port: number): boolean {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const state = protocol === 'tcp' ? '0A' : '07';
  const table = fs.readFileSync(`/proc/net/${protocol}`, 'utf8');
  return table.split('\n').some((line) => {
    const cols = line.trim().split(/\s+/);
    return cols[1] === hex && cols[3] === state;
  });
}

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
// A test that crashes must not leave syslog-ng behind; the temp dirs go when the
// test process ends (set SECFLOW_KEEP_SYSLOG_NG=1 to keep them for a post-mortem).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  if (!process.env.SECFLOW_KEEP_SYSLOG_NG) for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

export async function startSyslogNg(options: SyslogNgOptions): Promise<SyslogNgHandle> {
  if (!fs.existsSync(SYSLOG_NG_BINARY)) throw new Error(`${SYSLOG_NG_BINARY} not found: install the Debian package syslog-ng-core`);
  if (options.sources.length === 0) throw new Error('startSyslogNg needs at least one source');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-syslog-ng-'));
  tempDirs.add(dir);
  const outFile = options.destinationFile ?? path.join(dir, 'received.log');
  const internalFile = path.join(dir, 'internal.log');
  const ports: number[] = [];
  for (const source of options.sources) ports.push(source.port ?? (await freePort(source.protocol === 'udp' ? 'udp' : 'tcp')));

  const names = options.sources.map((_, i) => `s_test${i}`);
  const config = [
    '@version: 3.38',
    // No DNS, keep the sender's HOST, messages up to 1 MiB, no periodic stats lines.
    'options { use-dns(no); dns-cache(no); keep-hostname(yes); chain-hostnames(no); log-msg-size(1048576); stats-freq(0); create-dirs(yes); };',
    ...options.sources.map((source, i) => sourceConfig(names[i], source, ports[i])),
    `destination d_test { file(${quote(outFile)} template(${quote(`${templateExpression(options.template ?? 'raw')}\n`)}) flush-lines(1)); };`,
    `log { ${names.map((n) => `source(${n});`).join(' ')} destination(d_test); };`,
    `source s_internal { internal(); };`,
    `destination d_internal { file(${quote(internalFile)}); };`,
    'log { source(s_internal); destination(d_internal); };',
    options.extraConfig ?? '',
    '',
  ].join('\n');
  const cfgFile = path.join(dir, 'syslog-ng.conf');
  fs.writeFileSync(cfgFile, config);

  let child: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    output = '';
    const proc = spawn(
      SYSLOG_NG_BINARY,
      ['-F', '--no-caps', '--cfgfile', cfgFile, '--persist-file', path.join(dir, 'syslog-ng.persist'), '--pidfile', path.join(dir, 'syslog-ng.pid'), '--control', path.join(dir, 'syslog-ng.ctl')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    running.add(proc);
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    let exited = false;
    proc.once('exit', () => {
      exited = true;
      running.delete(proc);
    });
    const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
    while (!options.sources.every((s, i) => listening(s.protocol === 'udp' ? 'udp' : 'tcp', ports[i]))) {
      if (exited) throw new Error(`syslog-ng exited at start (code ${proc.exitCode}):\n${output}\nconfig:\n${config}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`syslog-ng did not listen on ports ${ports.join(', ')} within ${options.startTimeoutMs ?? 15_000} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function stop(opts: { kill?: boolean } = {}): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), opts.kill ? 0 : 5000);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill(opts.kill ? 'SIGKILL' : 'SIGTERM');
    });
  }

  function readLines(): string[] {
    if (!fs.existsSync(outFile)) return [];
    const lines = fs.readFileSync(outFile, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  await start();
  return {
    ports,
    outFile,
    dir,
    readLines,
    readRecords: () => readLines().map((line) => JSON.parse(line) as SyslogNgRecord),
    internalLog: () => (fs.existsSync(internalFile) ? fs.readFileSync(internalFile, 'utf8') : ''),
    async waitForLines(n: number, timeoutMs = 20_000): Promise<string[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lines = readLines();
        if (lines.length >= n) return lines;
        if (Date.now() > deadline) throw new Error(`syslog-ng wrote ${lines.length} of ${n} expected lines within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async restart() {
      await stop();
      await start();
    },
    stop,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
  };
}
