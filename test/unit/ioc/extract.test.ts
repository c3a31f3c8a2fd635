// IoC extraction against msticpy's test_ioc_extractor.py cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IOC_TYPES, IocExtractor, buildPatterns, dnsLongPattern, hasIcannSuffix, hasLongLabel, parseTypes, pyUnquote, type IocType } from '../../../src/lib/ioc';

const count = (r: Partial<Record<IocType, string[]>>, t: string) => (r[t as IocType] ?? []).length;
test('defanged indicators are found as written (msticpy TEST_DF_CASES)', () => {
  const ex = new IocExtractor({});
  for (const text of [String.raw`c:\one\path\or\another\myprocess -ip4:206[.]123.1.123`, String.raw`-ip4:206[.]123[.]1[.]123`, String.raw`-ip4:206.123[.]1[.]123`]) {
    assert.ok(count(ex.extract(text), 'ipv4') > 0, text);
  }
  assert.deepEqual(ex.extract('-ip4:206[.]123.1.123').ipv4, ['206[.]123.1.123']);
  assert.equal(count(ex.extract(String.raw`c:\x -ip4:206.123[.]1[.]com`), 'ipv4'), 0, '206.123[.]1[.]com is not an ipv4');
  for (const proto of ['hXXps', 'ftp', 'sftp', 'ftps', 'fXp', 'sfXp', 'fXps', 'file', 'telnet']) {
    const text = `curl '${proto}://www[.]virustotal.com/en/ip-address/90.156.201.27/information/'`;
    assert.ok(count(ex.extract(text), 'url') > 0, text);
  }
  for (const text of ['some text with a domain[.]like.uk in it', 'some text with a domain.like[.]uk in it', 'some text with a domain[.]like[.]uk in it']) {
    assert.ok(count(ex.extract(text), 'dns') > 0, text);
  }
  for (const text of ['a user@domain[.]like.uk in it', 'a user[AT]domain[.]like.uk in it', 'a user@domain.like.uk in it']) {
    assert.ok(count(ex.extract(text), 'email') > 0, text);
  }
  // defanged=False: no defanged IPv4 at all.
  const plain = new IocExtractor({ defanged: false });
  for (const text of ['-ip4:206[.]123.1.123', '-ip4:206[.]123[.]1[.]123', '-ip4:206.123[.]1[.]123']) assert.equal(count(plain.extract(text), 'ipv4'), 0, text);
});

test('the Public Suffix List check: unknown TLDs rejected, ICANN suffixes kept, private suffixes not needed', () => {
  assert.equal(hasIcannSuffix('domain.like.iandom'), false);
  assert.equal(hasIcannSuffix('host.local'), false);
  assert.equal(hasIcannSuffix('domain.like.uk'), true);
  assert.equal(hasIcannSuffix('news.ycombinator.com'), true);
  assert.equal(hasIcannSuffix('domain[.]like[.]uk'), true);
  const ex = new IocExtractor({});
  assert.deepEqual(ex.extract('resolve evil.corp.iandom and evil.example.co.uk now').dns, ['evil.example.co.uk']);
});

test('priorities: a text matched by several types goes to the most specific', () => {
  const ex = new IocExtractor({ types: IOC_TYPES });
  const r = ex.extract('mail bob@example.com and fetch http://example.org/a');
  assert.deepEqual(r.email, ['bob@example.com']);
  assert.ok(r.dns?.includes('example.com'), 'the domain part is also a dns name');
  assert.deepEqual(r.url, ['http://example.org/a']);
  assert.equal(r.linux_path?.includes('//example.org/a'), true, 'a lower priority type keeps texts nobody else found');
});

test('URL decode re-scan adds the decoded URL and its host; compat keeps the offset quirk and empty hosts', () => {
  const text = 'go http://a.example.com/x?u=http%3A%2F%2Fb.example.net%2Fp';
  const r = new IocExtractor({}).extract(text);
  assert.ok(r.url?.includes('http://a.example.com/x?u=http://b.example.net/p'), JSON.stringify(r));
  assert.ok(r.dns?.includes('a.example.com'), 'the decoded URL\'s host');
  assert.equal(pyUnquote('%E2%82%AC%ZZ%ff'), '€%ZZ\uFFFD');
  assert.deepEqual(new IocExtractor({}).extract('file:///etc/passwd').dns ?? [], []);
  assert.deepEqual(new IocExtractor({ compat: true }).extract('file:///etc/passwd').dns, ['']);
  // The second URL's decoded form is re-scanned from offset 0 by default, from the first URL's end in compat.
  const two = 'x http://a.example.com/ y http://b.example.com/%41';
  assert.ok(new IocExtractor({}).extract(two).url?.includes('http://b.example.com/A'));
  assert.equal(new IocExtractor({ compat: true }).extract(two).url?.includes('http://b.example.com/A'), false);
});

test('strict IPv4 (off by default and in compat): octets ≤ 255 and no glued digits or dots', () => {
  const text = 'a 999.999.999.999 b 1.2.3.4.5 c 10.0.0.1 d 300.1.1.1 e 01.2.3.4';
  assert.deepEqual(new IocExtractor({ types: ['ipv4'] }).extract(text).ipv4, ['999.999.999.999', '1.2.3.4', '10.0.0.1', '300.1.1.1', '01.2.3.4']);
  assert.deepEqual(new IocExtractor({ types: ['ipv4'], strictIpv4: true }).extract(text).ipv4, ['10.0.0.1']);
  assert.deepEqual(new IocExtractor({ types: ['ipv4'], strictIpv4: true, compat: true }).extract(text).ipv4?.length, 5);
  assert.deepEqual(new IocExtractor({ types: ['ipv4'], strictIpv4: true }).extract('ip 10[.]0.0[.]1.').ipv4, ['10[.]0.0[.]1']);
});

test('types: parsed from a comma list, unknown names rejected', () => {
  assert.deepEqual(parseTypes(' ipv4, url '), ['ipv4', 'url']);
  assert.deepEqual(parseTypes(''), []);
  assert.throws(() => parseTypes('ipv4,hostname'), /unknown IoC type\(s\) hostname/);
});

// Generous bounds: the machine is shared; quadratic behaviour would take minutes, not seconds.
test('adversarial input: long dotted or repeated text takes linear time', () => {
  const ex = new IocExtractor({ types: IOC_TYPES });
  const inputs: Record<string, (n: number) => string> = {
    dotted: (n) => 'a.'.repeat(n / 2),
    digitsDotted: (n) => '1.'.repeat(n / 2),
    hyphenLabels: (n) => ('a-'.repeat(31) + 'a.').repeat(n / 64),
    longLabel: (n) => 'a'.repeat(n - 4) + '.com',
    slashes: (n) => '/'.repeat(n),
    dots: (n) => '.'.repeat(n),
    backslashes: (n) => '\\'.repeat(n),
    userChars: (n) => 'a'.repeat(n),
    hex: (n) => 'f'.repeat(n),
    colons: (n) => ':'.repeat(n),
    percent: (n) => 'http://x/' + '%41'.repeat(n / 3),
    winFolders: (n) => 'c:\\' + 'a \\'.repeat(n / 3) + ' ',
    linuxFolders: (n) => '/a'.repeat(n / 2) + '<',
  };
  for (const [name, make] of Object.entries(inputs)) {
    // CPU milliseconds, best of three: other processes on the machine add noise, never less.
    const time = (n: number) => {
      const text = make(n);
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const start = process.cpuUsage();
        ex.extract(text);
        const used = process.cpuUsage(start);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      return best;
    };
    time(2_000); // warm up
    const small = time(25_000);
    const large = time(100_000);
    assert.ok(large < 10_000, `${name}: 100,000 characters took ${large.toFixed(0)} ms`);
    // Quadratic would be 16x; allow noise on a busy machine.
    assert.ok(large < Math.max(small * 8, 150), `${name}: 25k → ${small.toFixed(1)} ms, 100k → ${large.toFixed(1)} ms of CPU`);
  }
});

test('hashes: exact runs of 32/40/64 hex digits; a same-type hash one separator after another is missed, as upstream', () => {
  const md5 = (c: string) => c.repeat(32);
  const ex = new IocExtractor({ types: ['md5_hash', 'sha1_hash', 'sha256_hash'] });
  // Upstream consumes the space after the first md5, so the second md5 has no boundary left; a sha1 there is still found.
  assert.deepEqual(ex.extract(`${md5('a')} ${md5('b')}`), { md5_hash: [md5('a')] });
  assert.deepEqual(ex.extract(`${md5('a')} ${'c'.repeat(40)}`), { md5_hash: [md5('a')], sha1_hash: ['c'.repeat(40)] });
  // Two separators, or a line break, leave a boundary for the second.
  assert.deepEqual(ex.extract(`${md5('a')}  ${md5('b')}`).md5_hash, [md5('a'), md5('b')]);
  assert.deepEqual(ex.extract(`${md5('a')}\n${md5('b')}`).md5_hash, [md5('a'), md5('b')]);
  // 33 or 50 hex digits are no hash.
  assert.deepEqual(ex.extract(`x ${'a'.repeat(33)} ${'b'.repeat(50)} y`), {});
});

test('the long-label check finds every run of 64+ label characters, wherever it starts', () => {
  const regex = /[a-z0-9-]{64}/i;
  for (let offset = 0; offset < 100; offset++) {
    for (const len of [63, 64, 65, 130]) {
      const text = '. '.repeat(offset).slice(0, offset) + 'aB3-'.repeat(40).slice(0, len) + ' x.' + 'c'.repeat(offset % 70);
      assert.equal(hasLongLabel(text), regex.test(text), `offset ${offset}, length ${len}`);
    }
  }
  // A label over 63 characters: msticpy starts within 63 characters of the dot.
  assert.deepEqual(new IocExtractor({}).extract('x ' + 'a'.repeat(70) + '.example.com').dns, ['a'.repeat(63) + '.example.com']);
});

test('a long text\'s dns scan in windows finds exactly what one scan of the whole text finds, across window edges', () => {
  // The oracle: the dns pattern run once over the whole text, as extract() scans short texts.
  const oneScan = (text: string): string[] => {
    const re = hasLongLabel(text) ? dnsLongPattern(true) : buildPatterns({ defanged: true, strictIpv4: false }).find((p) => p.type === 'dns')!.regex;
    const out: string[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) if (hasIcannSuffix(m[0]) && !out.includes(m[0])) out.push(m[0]);
    return out;
  };
  const edge = 16_384; // the window (src/lib/ioc/extract.ts DNS_WINDOW)
  const filler = (n: number) => '-- '.repeat(Math.ceil(n / 3)).slice(0, n);
  const at = (start: number, name: string, length: number) => filler(start) + name + filler(length - start - name.length);
  const deep = Array.from({ length: 100 }, (_, i) => `l${'x'.repeat(60)}${i % 10}`).join('.') + '.example.com'; // 6,300 characters, 102 labels
  const texts = [
    // Names starting just before, on and just after each window edge.
    ...[-20, -3, -2, -1, 0, 1, 2, 3].map((d) => at(edge + d, `host${d + 20}.example.com`, 3 * edge)),
    // A name of 102 long labels straddling an edge (the slice must reach past the window).
    at(edge - 3_000, deep, 2 * edge + 5_000),
    // Hostile dotted runs whose attempts and matches straddle edges, with real names after them.
    'a.'.repeat(edge / 2 - 40) + 'evil.example.com ' + 'a.'.repeat(edge) + 'b.evil[.]example[.]org',
    'a.'.repeat(30_000) + ' x.example.com',
    // A name whose match starts in a dotted run just before an edge: 124 labels of `a.` then evil.example.com.
    'a.'.repeat((edge - 10) / 2 + 124) + 'evil.example.com',
    // A label over 63 characters (the long-start pattern) near an edge.
    at(edge - 40, `${'q'.repeat(70)}.example.net`, 2 * edge),
  ];
  const extractor = new IocExtractor({ types: ['dns'] });
  for (const [i, text] of texts.entries()) {
    const expected = oneScan(text);
    assert.ok(expected.length > 0, `text ${i} plants at least one name`);
    assert.deepEqual(extractor.extract(text).dns ?? [], expected, `text ${i} (${text.length} characters)`);
  }
  // And the scan pauses: 100,000 characters take several steps.
  let steps = 0;
  const run = extractor.steps('a.'.repeat(50_000));
  while (!run.next().done) steps++;
  assert.ok(steps >= 6, `${steps} steps`);
});
