// The Code42 emulator answers what py42 (the Python reference of bench/_python-reference.ts)
// asks at start-up, in its order: the JWT login (local account), the current user,
// then service discovery: ServerEnv's stsBaseUrl → the key-value store → the service's URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code42Emulator } from '../../emulators/code42';

describe('Code42 emulator: py42 start-up', () => {
  let emu: Code42Emulator;
  before(async () => {
    emu = new Code42Emulator({ users: { ann: 'pw' } });
    await emu.listen();
  });
  after(() => emu.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${emu.baseUrl}${path}`, { headers });

  it('login, current user, ServerEnv, key-value store: as py42 1.19 walks them', async () => {
    const login = await get('/api/v3/auth/jwt?useBody=True', { authorization: `Basic ${Buffer.from('ann:pw').toString('base64')}` });
    assert.equal(login.status, 200);
    const token = ((await login.json()) as { data: { v3_user_token: string } }).data.v3_user_token;
    const bearer = { authorization: `Bearer ${token}` };

    assert.equal((await get('/api/v1/User/my')).status, 401);
    const user = await get('/api/v1/User/my', bearer);
    assert.equal(user.status, 200);
    assert.equal(((await user.json()) as { data: { tenantId: string } }).data.tenantId, emu.tenantUid);

    assert.equal((await get('/api/v1/ServerEnv')).status, 401);
    const env = (await (await get('/api/v1/ServerEnv', bearer)).json()) as { data: { stsBaseUrl: string } };
    // py42: the key-value store's host is stsBaseUrl with its first "sts" replaced; keys are /v1/<key>.
    const kv = new URL('/v1/FORENSIC_SEARCH-API_URL', env.data.stsBaseUrl.replace('sts', 'simple-key-value-store'));
    const service = await fetch(kv, { headers: { accept: '*/*' } });
    assert.equal(service.status, 200);
    assert.equal(await service.text(), emu.baseUrl);
    assert.equal(await (await get('/v1/AlertService-API_URL')).text(), emu.baseUrl);
    assert.equal((await get('/v1/PRESERVATION-DATA-SERVICE_API-URL')).status, 404);
  });
});
