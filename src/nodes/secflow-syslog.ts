// secflow-syslog: sends msg.payload to a syslog receiver over UDP, TCP, TLS or RELP.
// A thin adapter over SyslogSender: reads the config, turns each message into
// one send (done() once the sender has delivered it), and shows the sender's state
// as the node status. With `spill` on, what is queued at close goes to
// <userDir>/secflow-syslog/<node id>/ and the next instance of this node sends it.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { facilityCode, severityCode, SyslogSender, type SyslogState } from '../lib/syslog';
import { bool, num, oneOf, str } from './shared/config';
import { onClose, onInput } from './shared/input';
import { metricsFor } from './shared/metrics';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from './shared/red';
import { assertNesting } from '../lib/util/nesting';
import { spillDirFor } from '../lib/spill';

const STATUS_INTERVAL_MS = 250;
const MiB = 1024 * 1024;

/** msg.payload as the text to send: strings as they are, Buffers as UTF-8, objects as JSON. */
export function payloadText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  if (payload !== null && typeof payload === 'object') {
    assertNesting(payload, 'msg.payload');
    try {
      return JSON.stringify(payload);
    } catch (err) {
      throw new Error(`msg.payload cannot be sent as JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  throw new Error(`msg.payload must be a string, a Buffer or an object; got ${payload === null ? 'null' : typeof payload}`);
}

/** How many failed lines an error message names before it says "and N more". */
const LISTED = 5;

/**
 * A page (an array of lines): written together, in order; done() once every line is
 * written; otherwise done(err) listing the lines that failed by index (also in
 * msg.syslogErrors). Lines that are not text fail alone; the others still go.
 */
async function sendPage(sender: SyslogSender, msg: NodeMessage, page: unknown[], overrides: { facility?: number; severity?: number }, countBytes: (bytes: number) => void): Promise<void> {
  const errors: Array<{ index: number; error: string }> = [];
  const texts: string[] = [];
  const at: number[] = [];
  page.forEach((line, index) => {
    try {
      texts.push(payloadText(line));
      at.push(index);
    } catch (err) {
      errors.push({ index, error: (err as Error).message.replace(/^msg\.payload/, `msg.payload[${index}]`) });
    }
  });
  for (const text of texts) countBytes(Buffer.byteLength(text));
  for (const { index, error } of await sender.sendAll(texts, overrides)) errors.push({ index: at[index], error: error.message });
  if (errors.length === 0) return;
  errors.sort((a, b) => a.index - b.index);
  msg.syslogErrors = errors;
  const listed = errors.slice(0, LISTED).map((e) => `[${e.index}] ${e.error}`).join('; ');
  const more = errors.length > LISTED ? `; and ${errors.length - LISTED} more (msg.syslogErrors)` : '';
  throw new Error(`${errors.length} of ${page.length} lines not sent: ${listed}${more}`);
}

function override(msg: NodeMessage, field: 'facility' | 'severity'): number | undefined {
  const value = msg[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`msg.${field} must be a name or a number; got ${typeof value}`);
  try {
    return field === 'facility' ? facilityCode(value) : severityCode(value);
  } catch (err) {
    throw new Error(`msg.${(err as Error).message}`, { cause: err });
  }
}

function readCa(file: string, userDir: string | undefined): string {
  const resolved = path.isAbsolute(file) || !userDir ? file : path.join(userDir, file);
  try {
    return fs.readFileSync(resolved, 'utf8');
  } catch (err) {
    throw new Error(`ca: the CA file "${file}" cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

/** Where a node's spill lives: private to the node id, inside the user directory. */
export function spillDirOf(userDir: string | undefined, id: string): string {
  return spillDirFor(path.join(userDir || os.tmpdir(), 'secflow-syslog'), id);
}

function createSender(config: NodeDef, userDir: string | undefined, id: string): SyslogSender {
  const protocol = oneOf(config.protocol, ['udp', 'tcp', 'tls', 'relp'] as const, 'udp', 'protocol');
  const format = oneOf(config.format, ['none', 'rfc3164', 'rfc5424'] as const, 'none', 'format');
  const host = str(config.host);
  if (!host) throw new Error('host is required (the syslog receiver, e.g. 127.0.0.1)');
  const caFile = str(config.ca);
  return new SyslogSender({
    host,
    port: num(config.port, 514, 'port', { min: 1, max: 65535, integer: true }),
    protocol,
    format,
    octetCounting: config.octetCounting === undefined || config.octetCounting === '' ? undefined : bool(config.octetCounting, false),
    newlines: oneOf(config.newlines, ['escape', 'keep'] as const, 'escape', 'newlines'),
    verifyTls: bool(config.verifyTls, true),
    ca: protocol === 'tls' && caFile ? readCa(caFile, userDir) : undefined,
    queueSize: num(config.queueSize, 10_000, 'queueSize', { min: 1, max: 10_000_000, integer: true }),
    queueBytes: num(config.queueBytes, 64 * MiB, 'queueBytes', { min: 1024, max: 64 * 1024 * MiB, integer: true }),
    replayBytes: num(config.replayBytes, MiB, 'replayBytes', { min: 0, max: 1024 * MiB, integer: true }),
    spillDir: bool(config.spill, false) && protocol !== 'udp' ? spillDirOf(userDir, id) : undefined,
    facility: str(config.facility) ? facilityCode(str(config.facility)) : undefined,
    severity: str(config.severity) ? severityCode(str(config.severity)) : undefined,
  });
}

function shorten(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function statusOf(state: SyslogState, connectionError: string | undefined, protocol: string): NodeStatus {
  const failed = state.failed ? `, ${state.failed} failed` : '';
  if (state.connected) return { fill: 'green', shape: 'dot', text: state.sent ? `sent ${state.sent}${failed}` : 'connected' };
  if (connectionError) {
    const counts = [state.queued ? `queued ${state.queued}` : '', state.failed ? `${state.failed} failed` : ''].filter(Boolean).join(', ');
    return { fill: 'red', shape: 'ring', text: counts ? `${counts}: ${shorten(connectionError, 90)}` : shorten(connectionError) };
  }
  if (protocol === 'udp') return { fill: 'grey', shape: 'ring', text: state.failed ? `${state.failed} failed` : 'ready' };
  return { fill: 'yellow', shape: 'ring', text: state.queued ? `connecting, queued ${state.queued}` : 'connecting' };
}

export default function (RED: NodeAPI): void {
  function SecflowSyslogNode(this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    let sender: SyslogSender | undefined;
    let configError: Error | undefined;
    try {
      sender = createSender(config, RED.settings.userDir, this.id);
      if (sender.resumed > 0) this.log(`resuming ${sender.resumed} syslog message(s) spilled by a previous run`);
    } catch (err) {
      configError = err as Error;
      this.status({ fill: 'red', shape: 'ring', text: shorten(configError.message) });
      this.error(configError);
    }

    // Status: colour changes show at once, counters at most every STATUS_INTERVAL_MS.
    let connectionError: string | undefined;
    let shown: NodeStatus = {};
    let lastShownAt = 0;
    let timer: NodeJS.Timeout | undefined;
    const protocol = str(config.protocol) || 'udp';
    const refresh = () => {
      if (!sender) return;
      const next = statusOf(sender.state(), connectionError, protocol);
      if (next.text === shown.text && next.fill === shown.fill) return;
      const wait = next.fill === shown.fill ? lastShownAt + STATUS_INTERVAL_MS - Date.now() : 0;
      if (wait > 0) {
        timer ??= setTimeout(() => {
          timer = undefined;
          refresh();
        }, wait);
        return;
      }
      shown = next;
      lastShownAt = Date.now();
      this.status(next);
    };

    if (sender) {
      sender.on('state', (state: SyslogState) => {
        if (state.connected) connectionError = undefined;
        refresh();
      });
      // The peer is down or refused us. Node-RED gives Catch nodes only errors that
      // carry a message, so this one gets its own, describing the connection.
      const { host, port } = sender.options;
      sender.on('connectionError', (err: Error) => {
        connectionError = err.message;
        refresh();
        const state = sender?.state();
        this.error(err, { _msgid: randomBytes(8).toString('hex'), topic: 'connection', payload: { host, port, protocol, queued: state?.queued ?? 0 } });
      });
      refresh();
    }

    const metrics = metricsFor(this, 'sink');
    metrics.queueDepth = () => sender?.state().queued ?? 0;
    onInput(this, async (msg) => {
      if (!sender) throw configError ?? new Error('secflow-syslog is not configured');
      const overrides = { facility: override(msg, 'facility'), severity: override(msg, 'severity') };
      if (Array.isArray(msg.payload)) {
        await sendPage(sender, msg, msg.payload, overrides, (bytes) => { metrics.bytes += bytes; });
      } else {
        const text = payloadText(msg.payload);
        metrics.bytes += Buffer.byteLength(text);
        await sender.send(text, overrides);
      }
    });

    onClose(this, async () => {
      clearTimeout(timer);
      timer = undefined;
      const closing = sender?.close();
      sender?.removeAllListeners();
      const result = await closing;
      // At shutdown Catch nodes are already stopped: the log is where the count shows.
      if (result?.spilled) this.log(`${result.spilled} queued syslog message(s) spilled to disk at close; the next start of this node sends them`);
      if (result?.failed) this.warn(`${result.failed} queued syslog message(s) failed at close, each with its own error (turn on spill to keep them)`);
      if (result?.unconfirmed) this.warn(`${result.unconfirmed} syslog message(s) being sent again after a broken connection were not re-sent before close; the peer may lack them`);
    });
  }
  RED.nodes.registerType('secflow-syslog', SecflowSyslogNode);
}
