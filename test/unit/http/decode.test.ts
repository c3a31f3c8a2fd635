// HttpClient reads response bodies as they arrive (ASCII fast path) with the same
// result as axios' text mode gave: UTF-8 text, a leading BOM removed, empty → ''. A
// body that stops half-way is a network failure that is retried: reset, or silent for
// the request's timeout (readBodyText's idle timer: axios' stops at the head).
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator } from '../../emulators/framework';
import { Readable } from 'node:stream';
import { HttpClient, readBodyText } from '../../../src/lib/http';

describe('readBodyText', () => {
  const read = (chunks: Buffer[], idleMs = 1000) => readBodyText(Readable.from(chunks, { objectMode: false }), idleMs);
  const utf8 = Buffer.from('{"name":"Zoë ✓ 𝄞"}', 'utf8');

  it('ASCII, UTF-8 (multi-byte, BOM) and empty bodies', async () => {
    assert.equal(await read([Buffer.from('{"a":"plain"}')]), '{"a":"plain"}');
    assert.equal(await read([utf8]), '{"name":"Zoë ✓ 𝄞"}');
    assert.equal(await read([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"b":"ü"}')]), '{"b":"ü"}');
    assert.equal(await read([]), '');
  });

  it('a character split between chunks, and between 1 MiB pieces, comes out whole', async () => {
    // Split inside the 4-byte 𝄞 (its first byte is at utf8.length - 6).
    const at = utf8.length - 5;
    assert.equal(await read([utf8.subarray(0, at), utf8.subarray(at)]), '{"name":"Zoë ✓ 𝄞"}');
    // An ASCII megabyte, then the split character across the piece boundary, then ASCII again.
    const ascii = Buffer.alloc(1 << 20, 'a');
    const clef = Buffer.from('𝄞', 'utf8');
    const text = await read([ascii.subarray(0, (1 << 20) - 2), Buffer.concat([ascii.subarray(0, 2), clef.subarray(0, 2)]), clef.subarray(2), Buffer.from('z')]);
    assert.equal(text, 'a'.repeat(1 << 20) + '𝄞z');
  });

  it('a stream that fails or stops sending fails the read', async () => {
    const failing = new Readable({ read() { this.destroy(new Error('socket hang up')); } });
    await assert.rejects(readBodyText(failing, 1000), /socket hang up/);
    const silent = new Readable({ read() { /* never pushes */ } });
    await assert.rejects(readBodyText(silent, 100), (err: Error & { code?: string }) => err.code === 'ECONNABORTED' && /timeout of 100ms/.test(err.message));
  });
});

describe('HttpClient bodies through axios (streamed, read by readBodyText)', () => {
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
