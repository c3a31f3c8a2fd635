// URL parsing: every scheme parses to the right service and options; malformed
// URLs give an error naming the problem, with the secret masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget, parseUrl, maskToken } from '../../../src/lib/notify';

const cfg = (url: string) => parseTarget(url).config as Record<string, unknown>;

function rejects(url: string, problem: RegExp, secrets: string[]): void {
  assert.throws(() => parseTarget(url), (err: Error) => {
    assert.match(err.message, problem, `${url} → ${err.message}`);
    for (const s of secrets) assert.ok(!err.message.includes(s), `secret ${s} leaked in: ${err.message}`);
    return true;
  });
}

test('the parser keeps tokens with ":" in the authority and splits +/-/: query options', () => {
  const u = parseUrl('tgram://123456:AAbb-Cc/%40chan?+X-Key=v%201&-p=q&:type=kind&Format=markdown');
  assert.equal(u.host, '123456');
  assert.equal(u.portText, 'AAbb-Cc');
  assert.equal(u.port, undefined);
  assert.deepEqual(u.segments, ['@chan']);
  assert.deepEqual(u.headers, { 'X-Key': 'v 1' });
  assert.deepEqual(u.params, { p: 'q' });
  assert.deepEqual(u.fields, { type: 'kind' });
  assert.equal(u.options.format, 'markdown');
});

test('masking keeps the first and last character of tokens; short values become ****', () => {
  assert.equal(maskToken('AbCdEf9'), 'A...9');
  assert.equal(maskToken('abcd'), '****');
});

test('discord: Apprise, native and Shoutrrr forms', () => {
  const apprise = parseTarget('discord://Bot@123456789012/AbC-def_9?tts=yes&avatar_url=https%3A%2F%2Fx%2Fa.png&thread=55');
  assert.equal(apprise.service, 'discord');
  assert.deepEqual(apprise.config, { id: '123456789012', token: 'AbC-def_9', botname: 'Bot', avatarUrl: 'https://x/a.png', tts: true, threadId: '55', users: [], roles: [] });
  assert.equal(apprise.masked, 'discord://1...2/A...9/');
  for (const native of ['https://discord.com/api/webhooks/123456789012/AbC-def_9', 'https://canary.discordapp.com/api/v10/webhooks/123456789012/AbC-def_9']) {
    assert.deepEqual([cfg(native).id, cfg(native).token], ['123456789012', 'AbC-def_9']);
  }
  const shoutrrr = cfg('discord://AbC-def_9@123456789012');
  assert.deepEqual([shoutrrr.id, shoutrrr.token], ['123456789012', 'AbC-def_9']);
  rejects('discord://123456789012', /needs a webhook ID and TOKEN/, []);
  rejects('discord://not%20numeric/SecretTok3n', /webhook ID has characters/, ['SecretTok3n']);
  // Apprise takes non-numeric webhook IDs.
  assert.equal(cfg('discord://abcdefghijklmnopqrstuvwx/SecretTok3n').id, 'abcdefghijklmnopqrstuvwx');
  rejects('discord://123/Secret%24Tok3n', /characters/, ['Secret$Tok3n', 'Secret%24Tok3n']);
  // A ping that names no user or role is ignored with a warning (it could never ping).
  assert.ok(parseTarget('discord://123/SecretTok3n?ping=bob').warnings.some((w) => /ping=bob/.test(w)));
  rejects('https://discord.com/api/webhooks/123', /needs \/api\/webhooks\/ID\/TOKEN|unsupported URL/, []);
});

test('e-mail: mailto, mailtos, smtp with TLS modes and recipients', () => {
  const plain = cfg('mailto://alerts:S3cretPass@mail.example.com?to=soc@example.com,ir@example.com&cc=c@example.com&bcc=b@example.com&name=SecFlow&reply=r@example.com');
  assert.equal(plain.host, 'mail.example.com');
  assert.equal(plain.port, 25);
  assert.equal(plain.secure, false);
  assert.equal(plain.requireTLS, true, 'credentials force STARTTLS');
  assert.deepEqual(plain.auth, { user: 'alerts', pass: 'S3cretPass' });
  assert.deepEqual(plain.from, { name: 'SecFlow', address: 'alerts@mail.example.com' });
  assert.deepEqual(plain.to, ['soc@example.com', 'ir@example.com']);
  assert.deepEqual([plain.cc, plain.bcc, plain.replyTo], [['c@example.com'], ['b@example.com'], 'r@example.com']);
  assert.equal(parseTarget('mailto://alerts:S3cretPass@mail.example.com').masked, 'mailto://alerts:****@mail.example.com/');
  const anonymous = cfg('mailto://relay.example.com/soc@example.com?from=noreply@example.com');
  assert.deepEqual([anonymous.requireTLS, anonymous.auth, anonymous.to], [false, undefined, ['soc@example.com']]);
  const tls = cfg('mailtos://u:p@smtp.example.com');
  assert.deepEqual([tls.port, tls.secure, tls.requireTLS], [587, false, true]);
  const ssl = cfg('mailtos://u:p@smtp.example.com?mode=ssl');
  assert.deepEqual([ssl.port, ssl.secure, ssl.requireTLS], [465, true, false]);
  const insecure = parseTarget('mailto://u:p@smtp.example.com:2525?mode=insecure');
  assert.deepEqual([(insecure.config as Record<string, unknown>).ignoreTLS, (insecure.config as Record<string, unknown>).requireTLS], [true, false]);
  assert.match(insecure.warnings[0], /unencrypted/);
  const shoutrrr = cfg('smtp://u:p@mail.example.com:465/?fromaddress=a@example.com&toaddresses=b@example.com,c@example.com&subject=Hi&encryption=ImplicitTLS');
  assert.deepEqual([shoutrrr.port, shoutrrr.secure, shoutrrr.to, shoutrrr.subject], [465, true, ['b@example.com', 'c@example.com'], 'Hi']);
  rejects('mailto://u:S3cretPass@mail.example.com?to=not-an-address', /no valid recipient/, ['S3cretPass']);
  rejects('mailto://u:S3cretPass@mail.example.com?mode=tls13', /mode=tls13/, ['S3cretPass']);
  rejects('mailto://u:S3cretPass@mail.example.com:smtp', /port must be a number/, ['S3cretPass']);
});

test('json/form/xml: scheme picks http(s); method, +header, -query and :field options', () => {
  const t = parseTarget('jsons://user:Pw0rd123@hooks.example.com:8443/in/alerts?method=put&+X-Api-Key=K3yK3yK3y&-sig=1&:message=text&:extra=1');
  assert.equal(t.service, 'json');
  const c = t.config as Record<string, unknown>;
  assert.deepEqual([c.origin, c.path, c.method, c.user], ['https://hooks.example.com:8443', '/in/alerts', 'PUT', 'user']);
  assert.deepEqual(c.headers, { 'X-Api-Key': 'K3yK3yK3y' });
  assert.deepEqual(c.params, { sig: '1' });
  assert.deepEqual(c.fields, { message: 'text', extra: '1' });
  assert.ok(!t.masked.includes('Pw0rd123') && !t.masked.includes('K3yK3yK3y'), t.masked);
  assert.equal(parseTarget('form://localhost/x').service, 'form');
  assert.equal((cfg('form://localhost/x').origin), 'http://localhost');
  assert.equal(parseTarget('xmls://localhost').service, 'xml');
  rejects('json://user:Pw0rd123@host?method=FETCH', /method=FETCH/, ['Pw0rd123']);
  rejects('json://user:Pw0rd123@:80/x', /host is missing/, ['Pw0rd123']);
});

test('generic (Shoutrrr): https unless disabletls=yes; template=json keys; $field and @header', () => {
  const c = cfg('generic://example.com/hook/LongSecretToken1?template=json&titlekey=t&messagekey=m&$env=prod&@X-Auth=abc&keep=1');
  assert.deepEqual([c.origin, c.path, c.template, c.titleKey, c.messageKey], ['https://example.com', '/hook/LongSecretToken1', 'json', 't', 'm']);
  assert.deepEqual(c.fields, { env: 'prod' });
  assert.deepEqual(c.headers, { 'X-Auth': 'abc' });
  assert.deepEqual(c.query, { keep: '1' });
  assert.equal(cfg('generic://example.com/x?disabletls=yes').origin, 'http://example.com');
  assert.equal(cfg('generic+http://example.com:8080/x').origin, 'http://example.com:8080');
  assert.ok(!parseTarget('generic://example.com/hook/LongSecretToken1').masked.includes('LongSecretToken1'));
  rejects('generic://example.com/hook/LongSecretToken1?template=xml', /template=xml/, ['LongSecretToken1']);
});

test('slack: Apprise and native webhooks, Shoutrrr hook and bot forms, bots need a channel', () => {
  const hook = parseTarget('slack://Bot@T1ABC/B2DEF/C3ghiJKL/#alerts/@bob');
  assert.deepEqual(hook.config, { mode: 'webhook', token: 'T1ABC/B2DEF/C3ghiJKL', channels: ['#alerts', '@bob'], botname: 'Bot', footer: undefined });
  assert.equal(hook.masked, 'slack://T...C/B...F/C...L/');
  assert.equal(cfg('https://hooks.slack.com/services/T1ABC/B2DEF/C3ghiJKL').token, 'T1ABC/B2DEF/C3ghiJKL');
  assert.equal(cfg('slack://hook:T1ABC-B2DEF-C3ghiJKL@webhook').token, 'T1ABC/B2DEF/C3ghiJKL');
  assert.deepEqual(cfg('slack://xoxb-1234-5678-abcdEFG/#soc'), { mode: 'bot', token: 'xoxb-1234-5678-abcdEFG', channels: ['#soc'], botname: undefined, footer: undefined });
  assert.deepEqual([cfg('slack://xoxb:1234-5678-abcdEFG@C0001').token, cfg('slack://xoxb:1234-5678-abcdEFG@C0001').channels], ['xoxb-1234-5678-abcdEFG', ['C0001']]);
  rejects('slack://T1ABC/B2DEF', /three tokens/, ['B2DEF']);
  rejects('slack://T1ABC/B2DEF/C3gh%21iJKL', /letters and digits/, ['C3gh!iJKL']);
  // Apprise's default channel for a bot without one.
  assert.deepEqual(cfg('slack://xoxb-1234-5678-abcdEFG').channels, ['#general']);
});

test('telegram: tgram:// chats with topics and the Shoutrrr form', () => {
  const t = parseTarget('tgram://123456789:AAHsecret-token_x/-1001234567890:42/@secflow_alerts?silent=yes&preview=yes');
  assert.deepEqual(t.config, { token: '123456789:AAHsecret-token_x', chats: [{ id: '-1001234567890', topic: 42 }, { id: '@secflow_alerts' }], silent: true, preview: true });
  assert.equal(t.masked, 'tgram://1...x/');
  assert.deepEqual((cfg('telegram://123456789:AAHsecret@telegram?chats=11,-22') as { chats: unknown }).chats, [{ id: '11' }, { id: '-22' }]);
  assert.deepEqual((cfg('tgram://123456789:AAHsecret/11?topic=7') as { chats: unknown }).chats, [{ id: '11', topic: 7 }]);
  rejects('tgram://123456789:AAHsecret-token_x', /at least one chat/, ['AAHsecret-token_x']);
  rejects('tgram://bot:AAHsecret-token_x/11', /bot token must look like/, ['AAHsecret-token_x']);
  rejects('tgram://123456789:AAHsecret-token_x/not%20a%20chat', /no valid chat/, ['AAHsecret-token_x']);
});

test('ntfy: ntfy.sh topic, self-hosted http/https, Basic and tk_ token auth, priority names', () => {
  assert.deepEqual(cfg('ntfy://secflow-alerts'), { origin: 'https://ntfy.sh', cloud: true, topics: ['secflow-alerts'], auth: undefined, priority: undefined, tags: [], click: undefined, delay: undefined, email: undefined });
  assert.equal(cfg('https://ntfy.sh/secflow').origin, 'https://ntfy.sh');
  const self = parseTarget('ntfy://user:Passw0rd@ntfy.local:8080/a/b?priority=max&tags=warning,skull&click=https%3A%2F%2Fx');
  const c = self.config as Record<string, unknown>;
  assert.deepEqual([c.origin, c.topics, c.priority, c.tags, c.click], ['http://ntfy.local:8080', ['a', 'b'], 5, ['warning', 'skull'], 'https://x']);
  assert.equal(c.auth, `Basic ${Buffer.from('user:Passw0rd').toString('base64')}`);
  assert.match(self.warnings[0], /plain http/);
  assert.equal(cfg('ntfys://tk_abcdefghijk@ntfy.local/t').auth, 'Bearer tk_abcdefghijk');
  assert.equal(cfg('ntfy://ntfy.local/t?disabletls=no').origin, 'https://ntfy.local');
  assert.equal(cfg('ntfy://ntfy.local/t?priority=2').priority, 2);
  rejects('ntfys://tk_abcdefghijk@ntfy.local/t?priority=urgentest', /priority=urgentest/, ['tk_abcdefghijk']);
  rejects('ntfys://tk_abcdefghijk@ntfy.local/bad%20topic', /topic "bad topic"/, ['tk_abcdefghijk']);
});

test('gotify: http/https, sub path, token last, priority names', () => {
  const t = parseTarget('gotify://gotify.local:8080/sub/AppT0kenXYZ?priority=high');
  assert.deepEqual(t.config, { origin: 'http://gotify.local:8080', prefix: '/sub', token: 'AppT0kenXYZ', priority: 8 });
  assert.equal(t.masked, 'gotify://gotify.local:8080/sub/A...Z');
  assert.equal(cfg('gotifys://gotify.local/AppT0kenXYZ').origin, 'https://gotify.local');
  assert.equal(cfg('gotify://gotify.local/AppT0kenXYZ?disabletls=no').origin, 'https://gotify.local');
  rejects('gotify://gotify.local', /TOKEN is missing/, []);
  assert.ok(parseTarget('gotify://gotify.local/AppT0kenXYZ?priority=loud').warnings.some((w) => /priority=loud/.test(w)));
});

test('pushover: pover:// and Shoutrrr pushover://, devices, priority 2 settings', () => {
  const user = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
  const token = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
  const t = parseTarget(`pover://${user}@${token}/phone/tablet?priority=emergency&sound=siren&interval=60&expire=3600`);
  assert.deepEqual(t.config, { user, token, devices: ['phone', 'tablet'], groups: [], priority: 2, sound: 'siren', url: undefined, urlTitle: undefined, retry: 60, expire: 3600 });
  assert.equal(t.masked, 'pover://u...G@a...i/phone/tablet');
  const s = cfg(`pushover://shoutrrr:${token}@${user}/?devices=phone`);
  assert.deepEqual([s.user, s.token, s.devices], [user, token, ['phone']]);
  rejects(`pover://short@${token}`, /user key must be 30/, [token]);
  assert.ok(parseTarget(`pover://${user}@${token}?priority=3`).warnings.some((w) => /priority=3/.test(w)));
  rejects(`pover://${user}@${token}?priority=2&interval=10`, /at least 30/, [user, token]);
});

test('workflows: workflows://, native Logic Apps URL, Power Automate and teams://?host=', () => {
  const t = parseTarget('workflows://prod-12.westus.logic.azure.com:443/0fe1abc/Sig-ABCdef123?pa=no&wrap=no');
  assert.deepEqual(t.config, { origin: 'https://prod-12.westus.logic.azure.com:443', flowId: '0fe1abc', signature: 'Sig-ABCdef123', powerAutomate: false, apiVersion: '2016-06-01', wrap: false });
  assert.equal(t.masked, 'workflows://prod-12.westus.logic.azure.com:443/0...c/S...3/');
  assert.equal(cfg('workflow://h.example.com/f1/SigSigSig?pa=yes').apiVersion, '2022-03-01-preview');
  const native = cfg('https://prod-12.westus.logic.azure.com:443/workflows/0fe1abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Sig-ABCdef123');
  assert.deepEqual([native.flowId, native.signature], ['0fe1abc', 'Sig-ABCdef123']);
  const teams = cfg(`teams://?host=${encodeURIComponent('https://prod-12.westus.logic.azure.com/workflows/0fe1abc/triggers/manual/paths/invoke?sig=Sig-ABCdef123')}`);
  assert.deepEqual([teams.flowId, teams.signature], ['0fe1abc', 'Sig-ABCdef123']);
  rejects('workflows://h.example.com/0fe1abc', /SIGNATURE is missing/, []);
});

test('msteams:// and Office 365 connector URLs are retired with a pointer to workflows://', () => {
  for (const url of ['msteams://T0k3nA/T0k3nB/T0k3nC', 'https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/ghi/jkl', 'teams://group@tenant/altId/groupOwner']) {
    rejects(url, /msteams:\/\/ is retired \(Office 365 connectors no longer work\); use workflows:\/\/HOST\/FLOW_ID\/SIGNATURE/, ['T0k3nA', 'jkl']);
  }
});

test('unknown schemes, unsupported https hosts and non-URLs are named, not echoed', () => {
  rejects('foo://user:SuperSecret@host.example.com/p', /unsupported scheme foo:\/\//, ['SuperSecret']);
  rejects('https://example.com/hook/SuperSecretPath', /unsupported URL/, ['SuperSecretPath']);
  rejects('SuperSecretNoScheme', /not a URL/, ['SuperSecretNoScheme']);
  assert.ok(parseTarget('mailto://u:SuperSecret@host.example.com?format=rtf').warnings.some((w) => /format=rtf/.test(w) && !w.includes('SuperSecret')));
  rejects('discord://1/T0k3nT0k3n?retry=11', /retry=11 must be a number from 0 to 10/, ['T0k3nT0k3n']);
});
