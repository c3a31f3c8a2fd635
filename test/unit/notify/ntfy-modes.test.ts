// ntfy's `mode=` (Apprise): cloud mode posts to ntfy.sh and never sends credentials;
// private mode posts to the host the URL names and needs a topic. Four URL forms
// used to send Basic credentials to a host the user did not name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget } from '../../../src/lib/notify';
import type { NtfyConfig } from '../../../src/lib/notify/services/ntfy';

const cfg = (url: string) => parseTarget(url).config as NtfyConfig;

test('ntfy://user:pass@localhost?mode=private has no topic: refused, nothing goes to ntfy.sh', () => {
  assert.throws(() => parseTarget('ntfy://user:pass@localhost?mode=private'), (err: Error) => {
    assert.match(err.message, /topic/);
    assert.ok(!err.message.includes('pass@'), err.message);
    return true;
  });
});

test('ntfys://user:pass@localhost?to=topic is the private server localhost, topic from to=', () => {
  const c = cfg('ntfys://user:pass@localhost?to=topic');
  assert.equal(c.origin, 'https://localhost');
  assert.deepEqual(c.topics, ['topic']);
  assert.equal(c.auth, `Basic ${Buffer.from('user:pass').toString('base64')}`);
});

test('ntfy://user:pass@topic1/topic2/topic3/?mode=cloud: three ntfy.sh topics, no credentials', () => {
  const c = cfg('ntfy://user:pass@topic1/topic2/topic3/?mode=cloud');
  assert.equal(c.origin, 'https://ntfy.sh');
  assert.deepEqual(c.topics, ['topic1', 'topic2', 'topic3']);
  assert.equal(c.auth, undefined);
});

test('ntfy://user:pass@ntfy.sh/alerts?mode=cloud and tokens in cloud mode send no credentials', () => {
  for (const url of ['ntfy://user:pass@ntfy.sh/alerts?mode=cloud', 'ntfys://tk_abcdefghijk@ntfy.sh/alerts?mode=cloud', 'ntfy://alerts?token=tk_abcdefghijk']) {
    const c = cfg(url);
    assert.equal(c.origin, 'https://ntfy.sh', url);
    assert.deepEqual(c.topics, ['alerts'], url);
    assert.equal(c.auth, undefined, url);
  }
});

test('mode detection: a host with topics is private, a bare name is a cloud topic', () => {
  assert.equal(cfg('ntfy://ntfy.local/a').origin, 'http://ntfy.local');
  assert.equal(cfg('ntfy://10.1.2.3:8080/a').origin, 'http://10.1.2.3:8080');
  const cloud = cfg('ntfy://secflow-alerts');
  assert.equal(cloud.origin, 'https://ntfy.sh');
  assert.deepEqual(cloud.topics, ['secflow-alerts']);
  // A valid host name with a topic from to= is private, as Apprise detects it.
  assert.equal(cfg('ntfy://secflow-alerts?to=second').origin, 'http://secflow-alerts');
  assert.deepEqual(cfg('ntfy://secflow-alerts?to=second&mode=cloud').topics, ['secflow-alerts', 'second']);
  assert.throws(() => parseTarget('ntfy://a/b?mode=bogus'), /mode=bogus/);
});

test('an invalid topic beside valid ones is dropped with a warning, as Apprise does', () => {
  const t = parseTarget('ntfy://ntfy.local/good/bad%20topic');
  assert.deepEqual((t.config as NtfyConfig).topics, ['good']);
  assert.ok(t.warnings.some((w) => /bad topic/.test(w)), t.warnings.join('; '));
});
