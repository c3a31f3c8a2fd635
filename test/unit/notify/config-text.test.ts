// Target lists (TEXT and YAML), tag selection, templates, conversion and splitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseTargetList, selectByTags, retryAfterOf, parseTarget, renderTemplate, convert, splitBody, markdownToHtml, htmlToText, toTelegramHtml, readRequest, scrub,
} from '../../../src/lib/notify';

test('TEXT list: tags=URL lines, comments, blank lines; include is rejected; bad lines are masked', () => {
  const list = parseTargetList([
    '# SOC targets',
    'discord://1/tokenA1',
    'prod, discord = discord://2/tokenB2',
    'email=mailto://u:Secr3t@mail.example.com?to=a@example.com',
    '',
    'include https://example.com/more.cfg',
    'garbage SuperSecretGarbage',
  ].join('\n'));
  assert.deepEqual(list.entries.map((e) => [e.url, e.tags]), [
    ['discord://1/tokenA1', []],
    ['discord://2/tokenB2', ['prod', 'discord']],
    ['mailto://u:Secr3t@mail.example.com?to=a@example.com', ['email']],
  ]);
  assert.equal(list.errors.length, 2);
  assert.match(list.errors[0], /line 6: include is not supported/);
  assert.match(list.errors[1], /line 7: not a URL/);
  assert.ok(!list.errors.join().includes('SuperSecretGarbage'));
});

test('YAML list: version 1, global tag, per-URL tag and options become query options', () => {
  const list = parseTargetList([
    'version: 1',
    'tag: soc',
    'urls:',
    '  - discord://1/tokenA1',
    '  - mailto://u:p@mail.example.com:',
    '    - to: a@example.com',
    '      tag: email, oncall',
    '    - to: b@example.com',
    '      format: html',
  ].join('\n'));
  assert.deepEqual(list.errors, []);
  assert.deepEqual(list.entries.map((e) => [e.url, e.tags]), [
    ['discord://1/tokenA1', ['soc']],
    ['mailto://u:p@mail.example.com?to=a%40example.com', ['soc', 'email', 'oncall']],
    ['mailto://u:p@mail.example.com?to=b%40example.com&format=html', ['soc']],
  ]);
  assert.match(parseTargetList('version: 1\ninclude: x.yml\nurls: []').errors[0], /include is not supported/);
  assert.match(parseTargetList('version: 2\nurls:\n  - json://h').errors[0], /version 2/);
  assert.match(parseTargetList('urls: [unclosed').errors[0], /YAML is not valid/);
});

test('tag selection: no tag = untagged + always; comma = AND; array = OR; all; case-insensitive', () => {
  const targets = [
    { name: 'untagged', tags: [] },
    { name: 'prod-discord', tags: ['prod', 'discord'] },
    { name: 'prod-email', tags: ['prod', 'email'] },
    { name: 'always', tags: ['always'] },
  ];
  const pick = (sel: string | string[] | undefined) => selectByTags(targets, sel).map((t) => t.name);
  assert.deepEqual(pick(undefined), ['untagged', 'always']);
  assert.deepEqual(pick('prod'), ['prod-discord', 'prod-email', 'always']);
  assert.deepEqual(pick(' PROD , Discord '), ['prod-discord', 'always']);
  assert.deepEqual(pick(['discord', 'email']), ['prod-discord', 'prod-email', 'always']);
  assert.deepEqual(pick('all'), ['untagged', 'prod-discord', 'prod-email', 'always']);
  assert.deepEqual(pick('nomatch'), ['always']);
});

test('templates render {{msg.x}} paths; objects as JSON; missing as empty', () => {
  const msg = { topic: 'sudo', payload: { host: 'web-1', n: 3, tags: ['a'] } };
  assert.equal(renderTemplate('{{msg.topic}} on {{ msg.payload.host }} ({{msg.payload.n}}) {{msg.payload.tags}} [{{msg.nope}}]', msg), 'sudo on web-1 (3) ["a"] []');
});

test('conversion: text→html escapes and breaks lines; markdown→html; html→text decodes; Telegram subset', () => {
  assert.equal(convert('a < b & c\nnext', 'text', 'html'), 'a &lt; b &amp; c<br/>next');
  assert.equal(convert('**x**', 'text', 'markdown'), '**x**');
  assert.equal(markdownToHtml('# Alert\n**root** ran `rm -rf` <x>\n\n- one\n- [two](https://e.x)'), '<h1>Alert</h1>\n<p><b>root</b> ran <code>rm -rf</code> &lt;x&gt;</p>\n<ul>\n<li>one</li>\n<li><a href="https://e.x">two</a></li>\n</ul>');
  assert.equal(htmlToText('<p>a &amp; b</p><br/>c&lt;d'), 'a & b\n\nc<d');
  assert.equal(convert('<b>bold</b> <a href="u">t</a>', 'html', 'markdown'), '**bold** [t](u)');
  assert.equal(toTelegramHtml('<h1>T</h1><p>x<br/>y</p><span>z</span>', 'html'), '<b>T</b>\nx\ny\nz');
});

test('splitting: at newlines, else whitespace, else hard; never inside a surrogate pair, tag or entity; 5 parts max', () => {
  assert.deepEqual(splitBody('aaa\nbbb\nccc', 8, 'split'), ['aaa\nbbb\n', 'ccc']);
  assert.deepEqual(splitBody('aaaa bbbb cccc', 10, 'split'), ['aaaa bbbb ', 'cccc']);
  assert.deepEqual(splitBody('abcdefghij', 4, 'split'), ['abcd', 'efgh', 'ij']);
  const emoji = 'abc😀def';
  assert.deepEqual(splitBody(emoji, 4, 'split'), ['abc', '😀de', 'f']);
  assert.deepEqual(splitBody('abcde<b>x</b>', 7, 'split'), ['abcde', '<b>x', '</b>']);
  assert.deepEqual(splitBody('abcd&amp;efg', 7, 'split'), ['abcd', '&amp;ef', 'g']);
  assert.deepEqual(splitBody('x'.repeat(100), 10, 'upstream'), ['x'.repeat(100)]);
  assert.deepEqual(splitBody('x'.repeat(100), 10, 'truncate'), ['x'.repeat(10)]);
  const parts = splitBody('y'.repeat(1000), 100, 'split');
  assert.equal(parts.length, 5);
  assert.ok(parts.every((p) => p.length <= 100));
  const kept = parts.slice(0, 4).join('').length + parts[4].replace(/\[truncated \d+ chars\]$/, '').length;
  assert.match(parts[4], new RegExp(`\\[truncated ${1000 - kept} chars\\]$`));
});

test('input: payload/topic/notifyType/format/tag, apprise-api payload, bad values', () => {
  const defaults = { type: 'info' as const, format: 'text' as const };
  const r = readRequest({ payload: { host: 'h' }, topic: 'T', notifyType: 'failure', format: 'markdown', tag: ['a', 'b,c'] }, defaults);
  assert.deepEqual(r.notification, { title: 'T', body: '{\n  "host": "h"\n}', type: 'failure', format: 'markdown' });
  assert.deepEqual(r.tags, ['a', 'b,c']);
  const api = readRequest({ payload: { urls: 'json://a, json://b', body: 'B', title: 'X', type: 'success', format: 'html', tag: 'prod' }, topic: 'ignored' }, defaults);
  assert.deepEqual([api.notification, api.tags, api.urls], [{ title: 'X', body: 'B', type: 'success', format: 'html' }, 'prod', ['json://a', 'json://b']]);
  const bad = readRequest({ payload: Buffer.from('buf'), notifyType: 'critical' }, defaults);
  assert.deepEqual([bad.notification.body, bad.notification.type], ['buf', 'info']);
  assert.match(bad.warnings[0], /msg.notifyType "critical"/);
  assert.throws(() => readRequest({ payload: 'x', format: 'rtf' }, defaults), /msg.format must be text, markdown or html/);
  assert.throws(() => readRequest({ payload: 'x', tag: 5 }, defaults), /msg.tag must be a string or an array/);
});

test('scrub replaces secrets and their URL-encoded form by the token mask', () => {
  assert.equal(scrub('POST /bot12:ab$cd/send failed; again 12%3Aab%24cd', ['12:ab$cd']), 'POST /bot1...d/send failed; again 1...d');
});

test('429 waits: Retry-After header first, else JSON retry_after (Slack/Discord) or parameters.retry_after (Telegram)', () => {
  assert.equal(retryAfterOf('2', '{"retry_after": 9}'), 2000);
  assert.equal(retryAfterOf(undefined, '{"message":"You are being rate limited.","retry_after":1.5,"global":false}'), 1500);
  assert.equal(retryAfterOf(undefined, '{"ok":false,"parameters":{"retry_after":3}}'), 3000);
  assert.equal(retryAfterOf(undefined, 'rate_limited'), undefined);
});

test('verify=no is accepted with a warning (ignored for Discord)', () => {
  assert.match(parseTarget('json://h.example.com/x?verify=no').warnings[0], /verification off/);
  assert.match(parseTarget('discord://1/T0k3nT0k3n?verify=no').warnings[0], /ignored for Discord/);
});
