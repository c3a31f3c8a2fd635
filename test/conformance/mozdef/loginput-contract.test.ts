// Conformance: the loginput emulator replays every case recorded against the real
// loginput (loginput_contract.json): status, response body and exactly the messages
// the real service published; its AMQP publish settings are the recorded ones; and
// the esworker keyMapping emulation reproduces the recorded records. The unit tests
// (test/unit/mozdef/loginput-emulator.test.ts) check the same rules on the project's
// own cases (test/fixtures/mozdef).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fs from 'node:fs';
import { LoginputEmulator, LOGINPUT_AMQP, esworkerKeyMapping } from '../../emulators/mozdef-loginput';
import { vectorPath } from '../../support/vectors';

function vector<T>(name: string): T {
  return JSON.parse(fs.readFileSync(vectorPath('mozdef', name), 'utf8')) as T;
}

interface ContractCase {
  req?: { method: string; path: string; body?: string; headers?: Record<string, string>; condition?: string };
  condition?: string;
  status: number;
  response_body?: string;
  response_content_type?: string;
  published?: unknown[];
}

const contract = vector<{ amqp: Record<string, unknown>; cases: ContractCase[] }>('loginput_contract.json');

/** Builds the file's placeholders into real bodies. */
function materialise(c: ContractCase): { body?: Buffer | string; expected?: unknown[] } {
  const body = c.req?.body;
  if (body === '<gzip of {"summary":"gz"}>') return { body: zlib.gzipSync('{"summary":"gz"}'), expected: c.published };
  if (body === '<5 MiB JSON object>') {
    const big = { summary: 'big', blob: 'x'.repeat(5 * 1024 * 1024) };
    return { body: JSON.stringify(big), expected: [{ ...big, endpoint: 'events' }] };
  }
  return { body, expected: c.published };
}

test('loginput emulator matches every recorded case', async (t) => {
  assert.equal(contract.cases.length, 25);
  const emu = new LoginputEmulator();
  emu.brokerDownDelayMs = 20; // the real one waits ~19 s; scaled down
  const base = await emu.listen(0);
  t.after(() => emu.close());
  for (const [i, c] of contract.cases.entries()) {
    const condition = c.req?.condition ?? c.condition;
    await t.test(`case ${i + 1}: ${c.req ? `${c.req.method} ${c.req.path}` : ''} ${condition ?? ''}`, async () => {
      emu.published.length = 0;
      emu.brokerDown = condition === 'RabbitMQ stopped';
      emu.unbound = /not bound/.test(condition ?? '');
      const req = c.req ?? { method: 'POST', path: '/events', body: '{"summary":"unbound"}' };
      const { body, expected } = materialise(c);
      const res = await fetch(base + req.path, { method: req.method, headers: req.headers, body: c.req ? body : req.body });
      const text = await res.text();
      assert.equal(res.status, c.status);
      if (c.response_body !== undefined && !c.response_body.startsWith('bottle HTML')) assert.equal(text, c.response_body);
      if (c.response_content_type) assert.equal(res.headers.get('content-type'), c.response_content_type);
      assert.deepEqual(emu.messages(), expected ?? []);
    });
  }
});

test('the emulator\'s AMQP publish settings are the recorded ones', () => {
  const a = contract.amqp;
  assert.deepEqual(
    [a.exchange, a.exchange_type, a.durable, a.routing_key, a.content_type, a.content_encoding, a.delivery_mode],
    [LOGINPUT_AMQP.exchange, LOGINPUT_AMQP.exchangeType, LOGINPUT_AMQP.durable, LOGINPUT_AMQP.routingKey, LOGINPUT_AMQP.contentType, LOGINPUT_AMQP.contentEncoding, LOGINPUT_AMQP.deliveryMode],
  );
});

test('esworker keyMapping emulation reproduces the recorded records', () => {
  const { records } = vector<{ records: Array<{ input: Record<string, unknown>; output: Record<string, unknown> }> }>('esworker_keymapping.json');
  assert.equal(records.length, 4);
  const now = new Date();
  for (const { input, output } of records) {
    const mapped = esworkerKeyMapping(input, { mozdefhostname: 'mozdef.example', now });
    if (input.customendpoint === true) {
      // Custom-endpoint messages go to plugins unchanged; the record's output only shows what /events would lose.
      assert.equal(mapped, input);
      const { customendpoint: _c, ...asEvent } = input;
      const lost = esworkerKeyMapping(asEvent, { mozdefhostname: 'mozdef.example', now });
      assert.deepEqual({ ...lost, receivedtimestamp: output.receivedtimestamp }, output);
      continue;
    }
    assert.equal(typeof mapped.processid, 'string', 'processid becomes a string');
    assert.equal(mapped.type, 'event');
    assert.equal(mapped.mozdefhostname, 'mozdef.example');
    assert.match(mapped.receivedtimestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    assert.ok(!('endpoint' in mapped), 'endpoint is dropped');
    assert.deepEqual({ ...mapped, receivedtimestamp: output.receivedtimestamp }, output);
  }
});
