// Replays mozdef_client-style unit-test cases step by step against secflow's message
// model: each case is a list of steps (`new`, `set`, `call`, `validate`,
// `validate_log`) and an `expect` block (`raises`, `message`, `_msgtype`, `_category`,
// `_url`, `hostname*`, `sendlog.*`, `tags`, `str`), the form in which the upstream
// tests are recorded. The project's own cases (test/fixtures/mozdef/client-cases.ts)
// and the upstream ones (conformance suite) both run through it.
import assert from 'node:assert/strict';
import os from 'node:os';
import {
  MozDefMessage, MozDefError, EventType, Doc, buildEvent, parseSeverity, lineBody, baseUrlOf, SyslogTransport,
} from '../../../src/lib/mozdef';

export interface Step {
  new?: string; url?: string; args?: unknown[]; kwargs?: Record<string, unknown>;
  set?: string | Record<string, unknown>; call?: string; arg?: string;
  validate?: boolean; validate_log?: boolean; syslog_convert_not_null?: boolean; expect_raises?: string | null;
}
export interface Case { file: string; name: string; steps: Step[]; expect?: Record<string, unknown> }
export interface ClientCases { fixtures: Record<string, Doc>; cases: Case[] }

const CLASSES: Record<string, EventType | undefined> = {
  MozDefEvent: 'event', MozDefCompliance: 'compliance', MozDefVulnerability: 'vulnerability',
  MozDefAssetHint: 'assethint', MozDefRRA: 'rra', MozDefMessage: undefined,
};
const HOST = { hostname: os.hostname(), processname: process.argv[1] ?? 'node', processid: process.pid };


/** Runs one case; returns what the expectations are checked against. */
async function run(suite: ClientCases, c: Case, sink: { port: number; next(): Promise<string> }) {
  const resolveFixture = (value: unknown): unknown => (typeof value === 'string' && value.startsWith('fixtures.') ? structuredClone(suite.fixtures[value.slice('fixtures.'.length)]) : value);
  let message: MozDefMessage | undefined;
  let legacy: { tags?: unknown; syslogOnly?: boolean; extra: Doc } | undefined;
  let error: MozDefError | undefined;
  let url = 'http://127.0.0.1';
  let doc: Doc | undefined;
  let syslogOnly = false;
  let raised: unknown = null;

  const send = async (args: unknown[] = [], kwargs: Record<string, unknown> = {}) => {
    if (legacy) {
      // MozDefMsg.send(summary, details, category, severity, tags, source): overrides for this call.
      const built = buildEvent({
        type: 'event', host: HOST,
        config: { tags: legacy.tags },
        msg: { event: { ...legacy.extra }, summary: args[0], details: kwargs.details, tags: kwargs.tags },
      });
      doc = built.doc;
    } else {
      doc = message!.prepare();
    }
    if (syslogOnly || legacy?.syslogOnly) {
      const transport = new SyslogTransport({ host: '127.0.0.1', port: sink.port, protocol: 'udp', format: 'rfc5424', facility: 'user' });
      try {
        await transport.send({ id: 'x', kind: 'event', doc, attempts: 0 });
      } finally {
        await transport.close();
      }
      const line = await sink.next();
      assert.ok(line.endsWith(lineBody(doc)), 'the syslog message carries the one-line JSON');
    }
  };

  for (const step of c.steps) {
    if (step.new !== undefined) {
      if (step.new === 'MozDefError') error = new MozDefError(String(step.args?.[0]), 'EUNSUPPORTED');
      else if (step.new === 'MozDefMsg') legacy = { tags: step.kwargs?.tags, extra: {} };
      else message = new MozDefMessage(CLASSES[step.new], HOST);
      url = String(step.url ?? step.args?.[0] ?? url);
      continue;
    }
    if (step.set !== undefined) {
      const values = typeof step.set === 'string' ? (resolveFixture(step.set) as Doc) : step.set;
      for (const [key, raw] of Object.entries(values)) {
        const value = resolveFixture(raw);
        if (legacy) {
          const extra = /^log\['(.+)'\]$/.exec(key);
          if (extra) legacy.extra[extra[1]] = value;
          else if (key === 'syslogOnly') legacy.syslogOnly = Boolean(value);
          continue;
        }
        (message as unknown as Doc)[key] = value;
      }
      continue;
    }
    if (step.validate !== undefined) {
      assert.equal(message!.validate(), step.validate, `${c.name}: validate()`);
      continue;
    }
    if (step.validate_log !== undefined) {
      assert.equal(message!.validateLog(doc!), step.validate_log, `${c.name}: validate_log()`);
      continue;
    }
    if (step.syslog_convert_not_null) {
      assert.ok(lineBody(doc ?? message!.construct()).length > 2);
      continue;
    }
    if (step.call === 'construct') doc = message!.construct();
    else if (step.call === 'set_severity') message!.severity = parseSeverity(Number(/\((\d)\)/.exec(step.arg!)![1])).severity;
    else if (step.call === 'set_send_to_syslog') syslogOnly = step.kwargs?.only_syslog === true;
    else if (step.call === 'send') {
      if ('expect_raises' in step) {
        let thrown: unknown = null;
        try { await send(step.args, step.kwargs); } catch (err) { thrown = err; }
        if (step.expect_raises === null) assert.equal(thrown, null, `${c.name}: send(${JSON.stringify(step.args ?? [])}) must not raise`);
        else assert.ok(thrown instanceof MozDefError, `${c.name}: send() must raise MozDefError`);
      } else {
        try { await send(step.args, step.kwargs); } catch (err) { raised = err; }
      }
    }
  }
  return { message, legacy, error, url, doc, raised };
}

/** Runs one case and checks its expectations; syslog steps send to `sink`. */
export async function runCase(suite: ClientCases, c: Case, sink: { port: number; next(): Promise<string> }): Promise<void> {
  const r = await run(suite, c, sink);
  const expect = c.expect ?? {};
  if ('raises' in expect) {
    if (expect.raises === null) assert.equal(r.raised, null, `unexpected error: ${String(r.raised)}`);
    else assert.ok(r.raised instanceof Error, 'send() must raise');
    if (expect.raises === 'MozDefError') assert.ok(r.raised instanceof MozDefError);
  }
  if (expect.message !== undefined) assert.equal((r.raised as Error).message, expect.message);
  if (expect._msgtype !== undefined) assert.equal(r.message!.msgtype, expect._msgtype);
  if (expect._category !== undefined) assert.equal(r.message!.category, expect._category);
  if (expect._url !== undefined) assert.equal(baseUrlOf(r.url), expect._url);
  if (expect.hostname_not_null) assert.ok(r.message!.hostname.length > 0);
  if (expect.hostname_settable) {
    r.message!.hostname = 'settable.example';
    assert.equal(r.message!.hostname, 'settable.example');
  }
  if (expect.hostname !== undefined) assert.equal(r.message!.hostname, expect.hostname);
  for (const [key, value] of Object.entries(expect)) {
    if (key.startsWith('sendlog.')) assert.deepEqual(r.doc![key.slice('sendlog.'.length)], value, key);
  }
  if (expect.tags !== undefined) {
    const built = buildEvent({ type: 'event', host: HOST, config: { tags: r.legacy!.tags }, msg: { summary: 'x' } });
    assert.deepEqual(built.doc.tags, expect.tags);
  }
  // [quirk] Python's str(MozDefError('x')) is "'x'"; secflow's message is the text itself.
  if (expect.str !== undefined) assert.equal(`'${r.error!.message}'`, expect.str);
}
