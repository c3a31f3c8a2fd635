// The emulator framework's recordReplies (benches, test/emulators/framework.ts): after
// it, a route's 2xx replies are kept by request and the same request is answered
// from memory with the same bytes, without the handler; another request, or one that
// failed, still goes to the handler.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IncydrEmulator } from '../../emulators/incydr';

const T0 = Date.UTC(2026, 0, 1);

describe('emulator recordReplies', () => {
  const emus: IncydrEmulator[] = [];
  after(async () => {
    for (const emu of emus) await emu.close();
  });

  it('answers a recorded request from memory, byte for byte, and sends other requests to the handler', async () => {
    const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
    emus.push(emu);
    emu.addFileEvents({ count: 2_500, insertedMs: T0, stepMs: 1, returnIds: false });
    const url = await emu.listen();
    const res = await fetch(`${url}/v1/oauth`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
    const bearer = ((await res.json()) as { access_token: string }).access_token;
    const search = async (pgToken: string, pgSize = 1000) => {
      const body = { groupClause: 'AND', groups: [{ filterClause: 'AND', filters: [{ term: 'event.inserted', operator: 'ON_OR_AFTER', value: new Date(T0).toISOString() }] }], srtDir: 'asc', srtKey: 'event.inserted', pgToken, pgSize };
      const reply = await fetch(`${url}/v2/file-events`, { method: 'POST', headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: reply.status, text: await reply.text() };
    };
    const allPages = async () => {
      const texts: string[] = [];
      for (let token = ''; ;) {
        const { status, text } = await search(token);
        assert.equal(status, 200);
        texts.push(text);
        token = (JSON.parse(text) as { nextPgToken: string | null }).nextPgToken ?? '';
        if (token === '') return texts;
      }
    };

    emu.recordReplies('file-events');
    const first = await allPages();
    assert.equal(first.length, 3, '2,500 events in pages of 1,000');
    assert.equal(emu.recordedReplies, 3);
    const searched = emu.searchLog.length;

    const second = await allPages();
    assert.deepEqual(second, first, 'the same bytes');
    assert.equal(emu.searchLog.length, searched, 'the handler was not called again');

    const other = await search('', 500);
    assert.equal(other.status, 200);
    assert.equal(emu.searchLog.length, searched + 1, 'a different body goes to the handler');
    assert.equal(emu.recordedReplies, 4);

    const bad = await search('', 0);
    assert.equal(bad.status, 400);
    assert.equal(emu.recordedReplies, 4, 'a failed reply is not recorded');
  });
});
