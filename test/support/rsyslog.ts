// Runs a real rsyslog (Debian `rsyslog` + `rsyslog-relp`) with imrelp on a loopback
// port for a test: foreground, its own config, work directory and pid file in a temp
// dir, no system inputs, every received message written as its raw text, one per
// line, to a file the test reads.
//
// Debian's rsyslog conflicts with syslog-ng-core (both provide system-log-daemon), so
// .ci/run unpacks the two packages into SECFLOW_RSYSLOG_DIR (default /opt/secflow-rsyslog)
// instead of installing them; rsyslogd runs from there with -M pointing at its modules.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

export const RSYSLOG_DIR = process.env.SECFLOW_RSYSLOG_DIR || '/opt/secflow-rsyslog';

export interface RsyslogHandle {
  port: number;
  outFile: string;
  /** Lines of the destination file so far. */
  readLines(): string[];
  /** The lines once there are at least `n`, or rejects saying how many came. */
  waitForLines(n: number, timeoutMs?: number): Promise<string[]>;
  /** SIGKILL (`kill: true`) or SIGTERM, and wait for the exit. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** stop() and remove the temp dir. */
  cleanup(): Promise<void>;
  /** Starts rsyslog again on the same port, after stop(). */
  restart(): Promise<void>;
  /** rsyslogd's own output, for diagnosing a failure. */
  log(): string;
}

/** rsyslogd and its module directory, or undefined when they are not there. */
export function findRsyslog(): { binary: string; modules: string } | undefined {
  const binary = path.join(RSYSLOG_DIR, 'usr/sbin/rsyslogd');
  const lib = path.join(RSYSLOG_DIR, 'usr/lib');
  if (!fs.existsSync(binary) || !fs.existsSync(lib)) return undefined;
  for (const arch of fs.readdirSync(lib)) {
    const modules = path.join(lib, arch, 'rsyslog');
    if (fs.existsSync(path.join(modules, 'imrelp.so'))) return { binary, modules };
  }
  return undefined;
}

async function listening(port: number, timeoutMs: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}: ${log()}`);
    if (Date.now() > deadline) throw new Error(`rsyslogd does not listen on ${port} after ${timeoutMs} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRsyslog(options: { startTimeoutMs?: number } = {}): Promise<RsyslogHandle> {
  const found = findRsyslog();
  if (!found) throw new Error(`rsyslogd with imrelp not found under ${RSYSLOG_DIR} (.ci/run unpacks Debian's rsyslog and rsyslog-relp there)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-rsyslog-'));
  const work = path.join(dir, 'work');
  fs.mkdirSync(work);
  const outFile = path.join(dir, 'received.log');
  const port = await freePort();
  const config = [
    `global(workDirectory="${work}")`,
    'module(load="imrelp")',
    'template(name="raw" type="string" string="%rawmsg%\\n")',
    // A direct queue writes the file before imrelp acknowledges: a SIGKILL loses nothing acknowledged.
    `ruleset(name="relp" queue.type="Direct") { action(type="omfile" file="${outFile}" template="raw" flushOnTXEnd="on" asyncWriting="off") }`,
    `input(type="imrelp" port="${port}" address="127.0.0.1" ruleset="relp")`,
    '',
  ].join('\n');
  const configFile = path.join(dir, 'rsyslog.conf');
  fs.writeFileSync(configFile, config);
  let output = '';
  let child: ChildProcess | undefined;

  const launch = async () => {
    output = '';
    const proc = spawn(found.binary, ['-n', '-M', found.modules, '-f', configFile, '-i', path.join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child = proc;
    await listening(port, options.startTimeoutMs ?? 15_000, proc, () => output);
  };

  const readLines = () => {
    let text: string;
    try {
      text = fs.readFileSync(outFile, 'utf8');
    } catch {
      return [];
    }
    const lines = text.split('\n');
    lines.pop();
    return lines;
  };

  const stop = async (o: { kill?: boolean } = {}) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(o.kill ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    port,
    outFile,
    readLines,
    async waitForLines(n: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (readLines().length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} lines from rsyslog, got ${readLines().length}: ${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return readLines();
    },
    stop,
    async cleanup() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    restart: launch,
    log: () => output,
  };
}
