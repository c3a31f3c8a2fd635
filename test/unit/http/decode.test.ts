// HttpClient decodes response bodies once (ASCII fast path) with the same result as
// axios' text mode gave: UTF-8 text, a leading BOM removed, empty → ''. A body that
// stops half-way is a network failure that is retried: reset, or silent until the
// request's timeout (axios' timer covers the body as well as the head).
import { after, before, beforeEach, describe, it } from 'node:test';
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
  const large = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ i, path: `C:\\Users\\ü${i}\\report.docx` })) });
  emu.route('GET', '/utf8', 'utf8', () => ({ headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: Buffer.from(utf8, 'utf8') }));
  emu.route('GET', '/bom', 'bom', () => ({ headers: { 'Content-Type': 'application/json' }, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"x":1}')]) }));
  emu.route('GET', '/text', 'text', () => ({ headers: { 'Content-Type': 'text/plain' }, body: 'héllo' }));
  emu.route('GET', '/empty', 'empty', () => ({ status: 204 }));
  emu.route('GET', '/fail', 'fail', () => ({ status: 400, body: { error: 'naïve request ✗' } }));
  emu.route('GET', '/large', 'large', () => ({ headers: { 'Content-Type': 'application/json' }, body: Buffer.from(large, 'utf8') }));
  let client: HttpClient;
  before(async () => {
    await emu.listen();
  });
  beforeEach(() => {
    emu.reset();
    client?.close();
    client = new HttpClient({ baseUrl: emu.baseUrl, retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 500 });
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

  it('a body of many chunks with multi-byte characters arrives whole', async () => {
    const res = await client.request<string>({ method: 'GET', path: '/large', raw: true });
    assert.equal(res.data, large);
  });

  it('an error status carries the decoded body text', async () => {
    await assert.rejects(client.request({ method: 'GET', path: '/fail' }), (err: Error & { body?: string }) => {
      assert.match(err.message, /HTTP 400/);
      assert.match(err.body ?? err.message, /naïve request ✗/);
      return true;
    });
  });

  it('a body cut off by a reset is retried, and the retry delivers it whole', async () => {
    emu.inject({ route: 'large', nth: [1], fault: { type: 'cut', then: 'reset' } });
    const res = await client.request<string>({ method: 'GET', path: '/large', raw: true });
    assert.equal(res.data, large);
    assert.equal(emu.requests('large').length, 2);
  });

  it('a body that stops half-way times out within the request timeout, and is retried', async () => {
    emu.inject({ route: 'large', nth: [1], fault: { type: 'cut', then: 'hang' } });
    const started = Date.now();
    const res = await client.request<string>({ method: 'GET', path: '/large', raw: true });
    assert.equal(res.data, large);
    assert.equal(emu.requests('large').length, 2);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  it('an abort while the body arrives stops the request', async () => {
    emu.inject({ route: 'large', nth: [1], fault: { type: 'cut', then: 'hang' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(client.request({ method: 'GET', path: '/large', signal: controller.signal }), /aborted/);
    assert.equal(emu.requests('large').length, 1);
  });
});
