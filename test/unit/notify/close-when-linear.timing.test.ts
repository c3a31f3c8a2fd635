// Issue 13, item 1: the notifier's closeWhen is a user pattern run on event
// text, so it runs on the linear-time engine as the risky-command rules do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Aggregator, parseCloseWhen } from '../../../src/lib/notify';
import { assertLinear } from '../../support/linear-time';

const curlText = (size: number) => 'curl '.repeat(Math.ceil(size / 5)).slice(0, size);

test('closeWhen /.*(wget|curl).*\\|?.*sh.*/ on hostile text: 128 → 256 characters at most 2.5× (backtracking: about 10×), then linear to 1 MB', () => {
  const close = parseCloseWhen('/.*(wget|curl).*\\|?.*sh.*/');
  assert.ok(close && typeof close !== 'string');
  const agg = new Aggregator({ timeoutMs: 60_000, maxLines: 50, closeWhen: close, onTimeout: () => undefined });
  assertLinear('closeWhen, small', curlText, (text) => agg.isClose(text), { sizes: [128, 256], reps: 50 });
  assertLinear('closeWhen', curlText, (text) => agg.isClose(text));
  assert.equal(agg.isClose('curl http://x | sh'), true);
});

test('closeWhen: flags i, m, s; a backreference or lookaround is refused; g is refused', () => {
  const close = parseCloseWhen('/^SESSION closed$/im');
  assert.ok(close && typeof close !== 'string');
  assert.equal(close.test('x\nsession closed\ny'), true);
  assert.throws(() => parseCloseWhen('/(a)\\1/'), /closeWhen is not a valid regular expression: .*RE2/);
  assert.throws(() => parseCloseWhen('/(?<=user )root/'), /closeWhen is not a valid regular expression/);
  assert.throws(() => parseCloseWhen('/x/g'), /closeWhen is not a valid regular expression: unsupported flags "g"/);
  assert.equal(parseCloseWhen('session closed'), 'session closed', 'plain text stays a substring test');
});
