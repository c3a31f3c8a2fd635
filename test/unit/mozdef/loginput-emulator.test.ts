// The loginput emulator answers the project's own requests (test/fixtures/mozdef/
// loginput-cases.ts) as contract W1/W2 says: status, response body and exactly the
// messages a consumer of the queue reads; nginx's 4 MiB limit; and the esworker
// keyMapping emulation on the project's own published documents (W4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoginputEmulator, LOGINPUT_AMQP, esworkerKeyMapping } from '../../emulators/mozdef-loginput';
import { LOGINPUT_CASES } from '../../fixtures/mozdef/loginput-cases';
import { ESWORKER_RECORDS, RECEIVED } from '../../fixtures/mozdef/esworker-records';

test('loginput emulator answers every case as the contract says', async (t) => {
  const emu = new LoginputEmulator();
  emu.brokerDownDelayMs = 20; // the real one retries about 19 s; scaled down
  const base = await emu.listen(0);
  t.after(() => emu.close());
  for (const c of LOGINPUT_CASES) {
    await t.test(`${c.method} ${c.path}: ${c.name}`, async () => {
      emu.published.length = 0;
      emu.brokerDown = c.condition === 'brokerDown';
      emu.unbound = c.condition === 'unbound';
      const res = await fetch(base + c.path, { method: c.method, headers: c.headers, body: c.body });
      const text = await res.text();
      assert.equal(res.status, c.status);
      if (c.responseBody !== undefined) assert.equal(text, c.responseBody);
      if (c.contentType) assert.equal(res.headers.get('content-type'), c.contentType);
      assert.deepEqual(emu.messages(), c.published);
    });
  }
});

test('AMQP publish settings are those of contract W3', () => {
  assert.deepEqual({ ...LOGINPUT_AMQP }, {
    exchange: 'eventtask', exchangeType: 'direct', durable: true, routingKey: 'eventtask', contentType: 'application/json', contentEncoding: 'utf-8', deliveryMode: 2,
  });
});

test('nginx limit mode answers 413 above 4 MiB', async () => {
  const emu = new LoginputEmulator();
  const base = await emu.listen(0);
  try {
    emu.nginxLimit = true;
    const res = await fetch(`${base}/_bulk`, { method: 'POST', body: `${JSON.stringify({ blob: 'y'.repeat(4 * 1024 * 1024) })}\n{"a":1}\n` });
    assert.equal(res.status, 413);
    assert.equal(emu.published.length, 0);
  } finally {
    await emu.close();
  }
});

test('esworker keyMapping emulation gives the hand-worked records', () => {
  const now = new Date(Date.UTC(2024, 3, 2, 11, 30, 0, 250));
  const received = '2024-04-02T11:30:00.250000+00:00';
  for (const { name, input, output } of ESWORKER_RECORDS) {
    const expected = { ...output, receivedtimestamp: received };
    assert.equal(output.receivedtimestamp, RECEIVED);
    const mapped = esworkerKeyMapping(structuredClone(input), { mozdefhostname: 'mozdef.example', now });
    if (input.customendpoint === true) {
      // Custom-endpoint messages go to plugins unchanged; the output shows what /events would keep.
      assert.deepEqual(mapped, input, name);
      const { customendpoint: _c, ...asEvent } = input;
      assert.deepEqual(esworkerKeyMapping(asEvent, { mozdefhostname: 'mozdef.example', now }), expected, name);
      continue;
    }
    assert.equal(typeof mapped.processid, 'string', `${name}: processid becomes a string`);
    assert.ok(!('endpoint' in mapped), `${name}: endpoint is dropped`);
    assert.deepEqual(mapped, expected, name);
  }
});
