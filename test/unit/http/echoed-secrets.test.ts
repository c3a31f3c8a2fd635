// Issue 13 item 6: a server that echoes the request headers in an error body must
// not put credentials into HttpError (message, excerpt, body): the Basic header in
// base64 and decoded, a Bearer token, Carbon Black's X-Auth-Token SECRET/ID.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator } from '../../emulators/framework';
import { HttpClient, HttpError, type AuthProvider } from '../../../src/lib/http';
import { cbcAuth } from '../../../src/lib/carbonblack/auth';
import { headerSecrets } from '../../../src/lib/util/secrets';

const FAST = { retries: 1, baseDelayMs: 1, maxDelayMs: 5 };
const ID = 'key-4f1c9e2a';
const SECRET = 'S3cr3t+Pa/ss=word';
const BASIC = Buffer.from(`${ID}:${SECRET}`).toString('base64');
const CBC_SECRET = 'ZXCVBNMASDFGHJKL12345678';
const CBC_ID = 'QWERTY1234';

/** Every form in which the secrets could show. */
const FORBIDDEN = [BASIC, SECRET, encodeURIComponent(SECRET), `${ID}:${SECRET}`, CBC_SECRET, 'bearer-tok-0123456789'];

function assertClean(err: unknown): void {
  assert.ok(err instanceof HttpError, String(err));
  const everything = [err.message, err.body ?? '', String(err), JSON.stringify(err), err.stack ?? ''].join('\n');
  for (const f of FORBIDDEN) assert.ok(!everything.includes(f), `"${f}" leaked: ${everything}`);
}

describe('echoed credentials never reach an HttpError (issue 13.6)', () => {
  const emu = new Emulator({ name: 'echo' });
  emu.route('POST', '/token', 'token', () => ({ body: { access_token: 'x' } }));
  emu.route('GET', '/data', 'data', () => ({ body: [] }));
  let base: string;
  before(async () => {
    base = await emu.listen();
  });
  after(() => emu.close());

  for (const as of ['json', 'text'] as const) {
    test(`Basic header echoed as ${as} in a 400: neither base64 nor the decoded secret in the error`, async () => {
      emu.inject({ route: 'token', times: 1, fault: { type: 'echo-headers', status: 400, as } });
      const client = new HttpClient({ baseUrl: base, retry: FAST });
      try {
        const err = await client.request({ method: 'POST', path: '/token', headers: { Authorization: `Basic ${BASIC}` }, noAuth: true }).catch((e: unknown) => e);
        assertClean(err);
        assert.match((err as HttpError).message, /POST \/token failed with HTTP 400/);
        assert.match((err as HttpError).body ?? '', /authorization/i, 'the echo is still there, scrubbed');
      } finally {
        client.close();
      }
    });
  }

  test('Carbon Black X-Auth-Token echoed in a 500 (after retries) and a Bearer token from an AuthProvider: scrubbed', async () => {
    emu.inject({ route: 'data', times: 2, fault: { type: 'echo-headers', status: 500 } });
    const client = new HttpClient({ baseUrl: base, retry: FAST, auth: cbcAuth(CBC_ID, CBC_SECRET) });
    try {
      assertClean(await client.request({ method: 'GET', path: '/data' }).catch((e: unknown) => e));
    } finally {
      client.close();
    }
    emu.inject({ route: 'data', times: 1, fault: { type: 'echo-headers', status: 403, as: 'text' } });
    const bearer: AuthProvider = { headers: async () => ({ Authorization: 'Bearer bearer-tok-0123456789' }), refresh: async () => undefined };
    const other = new HttpClient({ baseUrl: base, retry: FAST, auth: bearer });
    try {
      assertClean(await other.request({ method: 'GET', path: '/data' }).catch((e: unknown) => e));
    } finally {
      other.close();
    }
  });

  test('headerSecrets: the value, the credential after its scheme, a Basic credential decoded, SECRET/ID parts; not ordinary headers', () => {
    const s = headerSecrets({ Authorization: `Basic ${BASIC}`, 'X-Auth-Token': `${CBC_SECRET}/${CBC_ID}`, Accept: 'application/json', 'Content-Type': 'text/plain' });
    for (const expected of [`Basic ${BASIC}`, BASIC, `${ID}:${SECRET}`, SECRET, `${CBC_SECRET}/${CBC_ID}`, CBC_SECRET]) assert.ok(s.includes(expected), expected);
    assert.ok(!s.includes('application/json') && !s.includes('text/plain'));
  });
});
