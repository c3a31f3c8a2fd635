import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator } from '../../emulators/framework';
import { HttpClient, HttpError, type AuthProvider } from '../../../src/lib/http';
import { parseRetryAfter, backoffDelay } from '../../../src/lib/http/retry';

const FAST = { baseDelayMs: 5, maxDelayMs: 50, throttleBaseMs: 5, maxRetryAfterMs: 2000 };

describe('HttpClient against a loopback emulator', () => {
  const emu = new Emulator({ name: 'http-test' });
  let client: HttpClient;
  let hits = 0;
  emu.route('GET', '/items/:id', 'item', (req) => {
    hits++;
    return { body: { id: req.params.id, q: req.query.get('q') } };
  });
  emu.route('POST', '/echo', 'echo', (req) => ({ body: { got: req.json } }));
  emu.route('GET', '/secure', 'secure', (req) => (emu.tokens.check(req.headers.authorization) ? { body: { ok: true } } : { status: 401, body: { error: 'unauthorized' } }));

  before(async () => {
    await emu.listen();
  });
  after(async () => {
    client?.close();
    await emu.close();
  });
  beforeEach(() => {
    emu.reset();
    hits = 0;
    client?.close();
    client = new HttpClient({ baseUrl: emu.baseUrl, retry: FAST, timeoutMs: 2000 });
  });

  test('GET with params and POST with a JSON body', async () => {
    const get = await client.request<{ id: string; q: string }>({ method: 'GET', path: '/items/7', query: { q: 'a b' } });
    assert.deepEqual(get.data, { id: '7', q: 'a b' });
    const post = await client.request<{ got: unknown }>({ method: 'POST', path: '/echo', body: { x: [1, 2] } });
    assert.deepEqual(post.data, { got: { x: [1, 2] } });
    assert.equal(emu.requests('echo')[0].headers['content-type'], 'application/json');
  });

  test('retries 5xx, resets and malformed JSON, then succeeds with the identical request', async () => {
    emu.inject({ route: 'echo', nth: [1], fault: { type: 'status', status: 503 } });
    emu.inject({ route: 'echo', nth: [2], fault: { type: 'reset' } });
    emu.inject({ route: 'echo', nth: [3], fault: { type: 'malformed' } });
    const res = await client.request<{ got: unknown }>({ method: 'POST', path: '/echo', body: { n: 1 } });
    assert.deepEqual(res.data, { got: { n: 1 } });
    const bodies = emu.requests('echo').map((e) => e.body);
    assert.equal(bodies.length, 4);
    assert.ok(bodies.every((b) => b === '{"n":1}'));
  });

  test('gives up after the configured retries with an error naming method, path and status', async () => {
    emu.inject({ route: 'item', fault: { type: 'status', status: 502, body: { error: 'bad gateway' } } });
    await assert.rejects(client.request({ method: 'GET', path: '/items/1' }), (err: HttpError) => {
      assert.equal(err.status, 502);
      assert.match(err.message, /^GET \/items\/1 failed with HTTP 502: .*bad gateway/);
      return true;
    });
    assert.equal(emu.requests('item').length, 4, 'one attempt and three retries');
  });

  test('429 waits for Retry-After before retrying', async () => {
    emu.inject({ route: 'item', nth: [1], fault: { type: 'throttle', retryAfterSeconds: 1 } });
    const started = Date.now();
    await client.request({ method: 'GET', path: '/items/2' });
    const waited = Date.now() - started;
    assert.ok(waited >= 950, `waited only ${waited} ms`);
    assert.equal(hits, 1);
  });

  test('429 without Retry-After backs off and gives up after the throttle attempts', async () => {
    emu.inject({ route: 'item', fault: { type: 'throttle' } });
    await assert.rejects(client.request({ method: 'GET', path: '/items/3' }), (err: HttpError) => err.status === 429);
    assert.equal(emu.requests('item').length, 5);
  });

  test('other 4xx fail at once', async () => {
    emu.inject({ route: 'item', fault: { type: 'status', status: 404 } });
    await assert.rejects(client.request({ method: 'GET', path: '/items/4' }), (err: HttpError) => err.status === 404 && !err.retryable);
    assert.equal(emu.requests('item').length, 1);
  });

  test('a hung server hits the timeout and is retried', async () => {
    client.close();
    client = new HttpClient({ baseUrl: emu.baseUrl, retry: { ...FAST, retries: 1 }, timeoutMs: 300 });
    emu.inject({ route: 'item', nth: [1], fault: { type: 'hang' } });
    const res = await client.request<{ id: string }>({ method: 'GET', path: '/items/5' });
    assert.equal(res.data.id, '5');
  });

  test('a refused connection names the cause', async () => {
    const closed = new Emulator({ name: 'closed' });
    const url = await closed.listen();
    await closed.close();
    const c = new HttpClient({ baseUrl: url, retry: { ...FAST, retries: 1 } });
    await assert.rejects(c.request({ method: 'GET', path: '/x' }), /GET \/x failed: connection refused/);
    c.close();
  });

  test('401 refreshes the credentials once and repeats; a second 401 is an error', async () => {
    let token = emu.tokens.issue(60).token;
    let refreshes = 0;
    const auth: AuthProvider = {
      headers: async () => ({ Authorization: `Bearer ${token}` }),
      refresh: async () => {
        refreshes++;
        token = emu.tokens.issue(60).token;
      },
    };
    client.close();
    client = new HttpClient({ baseUrl: emu.baseUrl, retry: FAST, auth });
    assert.deepEqual((await client.request({ method: 'GET', path: '/secure' })).data, { ok: true });
    emu.tokens.expireAll();
    assert.deepEqual((await client.request({ method: 'GET', path: '/secure' })).data, { ok: true });
    assert.equal(refreshes, 1);

    const stuck: AuthProvider = { headers: async () => ({ Authorization: 'Bearer secret-never-valid' }), refresh: async () => undefined };
    const c = new HttpClient({ baseUrl: emu.baseUrl, retry: FAST, auth: stuck });
    await assert.rejects(c.request({ method: 'GET', path: '/secure?token=also-secret' }), (err: HttpError) => {
      assert.equal(err.status, 401);
      assert.doesNotMatch(err.message, /secret/, 'no credential in the message');
      assert.doesNotMatch(JSON.stringify(err), /secret-never-valid|also-secret/, 'no credential anywhere on the error');
      return true;
    });
    c.close();
  });

  test('an abort signal stops retries at once', async () => {
    emu.inject({ route: 'item', fault: { type: 'status', status: 500 } });
    client.close();
    // A first retry wait of 5–10 s (FAST caps waits at 50 ms): the abort must end that wait.
    client = new HttpClient({ baseUrl: emu.baseUrl, retry: { ...FAST, baseDelayMs: 10_000, maxDelayMs: 10_000 } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    await assert.rejects(client.request({ method: 'GET', path: '/items/6', signal: ac.signal }), /aborted/);
    assert.ok(Date.now() - started < 2000);
    assert.equal(emu.requests('item').filter((e) => e.path === '/items/6').length, 1, 'no retry after the abort');
  });

  test('fault rules by probability, count and time window', async () => {
    emu.inject({ route: 'item', times: 2, fault: { type: 'status', status: 500 } });
    await client.request({ method: 'GET', path: '/items/8' });
    assert.deepEqual(emu.requests('item').map((e) => e.status), [500, 500, 200]);
    emu.log.length = 0;
    emu.inject({ route: 'item', untilMs: emu.clock.now() + 60_000, fault: { type: 'status', status: 404 } });
    await assert.rejects(client.request({ method: 'GET', path: '/items/9' }), /404/);
    emu.clock.advance(61_000);
    await client.request({ method: 'GET', path: '/items/9' });
  });
});

describe('retry maths', () => {
  test('Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter('0.5'), 500);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  test('backoff doubles, jitters within [half, full] and is capped', () => {
    for (let n = 0; n < 8; n++) {
      const full = Math.min(30_000, 1000 * 2 ** n);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(1000, n, 30_000);
        assert.ok(d >= full / 2 && d <= full, `n=${n}: ${d} not in [${full / 2}, ${full}]`);
      }
    }
  });
});
