// HttpClient decodes response bodies once (ASCII fast path) with the same result as
// axios' text mode gave: UTF-8 text, a leading BOM removed, empty → ''.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator } from '../../emulators/framework';
import { HttpClient, decodeBody } from '../../../src/lib/http';

describe('decodeBody', () => {
  it('ASCII, UTF-8 (multi-byte, BOM), empty and missing bodies', () => {
    assert.equal(decodeBody(Buffer.from('{"a":"plain"}')), '{"a":"plain"}');
    assert.equal(decodeBody(Buffer.from('{"name":"Zoë ✓ 𝄞"}', 'utf8')), '{"name":"Zoë ✓ 𝄞"}');
    assert.equal(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"b":"ü"}')])), '{"b":"ü"}');
    assert.equal(decodeBody(Buffer.alloc(0)), '');
    assert.equal(decodeBody(undefined), '');
    assert.equal(decodeBody('already text'), 'already text');
  });
});

describe('HttpClient bodies through axios (arraybuffer + decodeBody)', () => {
  const emu = new Emulator({ name: 'decode-test' });
  const utf8 = '{"user":"Jürgen Čapek","note":"日本語 ✓","emoji":"😀"}';
  emu.route('GET', '/utf8', 'utf8', () => ({ headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: Buffer.from(utf8, 'utf8') }));
  emu.route('GET', '/bom', 'bom', () => ({ headers: { 'Content-Type': 'application/json' }, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"x":1}')]) }));
  emu.route('GET', '/text', 'text', () => ({ headers: { 'Content-Type': 'text/plain' }, body: 'héllo' }));
  emu.route('GET', '/empty', 'empty', () => ({ status: 204 }));
  emu.route('GET', '/fail', 'fail', () => ({ status: 400, body: { error: 'naïve request ✗' } }));
  let client: HttpClient;
  before(async () => {
    await emu.listen();
    client = new HttpClient({ baseUrl: emu.baseUrl, retry: { retries: 0 } });
  });
  after(async () => {
    client.close();
    await emu.close();
  });

  it('parses UTF-8 JSON and a BOM-prefixed body, returns raw text and undefined for no body', async () => {
    assert.deepEqual((await client.request({ method: 'GET', path: '/utf8' })).data, JSON.parse(utf8));
    assert.deepEqual((await client.request({ method: 'GET', path: '/bom' })).data, { x: 1 });
    assert.equal((await client.request({ method: 'GET', path: '/text', raw: true })).data, 'héllo');
    assert.equal((await client.request({ method: 'GET', path: '/empty' })).data, undefined);
  });

  it('an error status carries the decoded body text', async () => {
    await assert.rejects(client.request({ method: 'GET', path: '/fail' }), (err: Error & { body?: string }) => {
      assert.match(err.message, /HTTP 400/);
      assert.match(err.body ?? err.message, /naïve request ✗/);
      return true;
    });
  });
});
