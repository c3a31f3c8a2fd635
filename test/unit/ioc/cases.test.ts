// IoC extraction on our own cases (test/fixtures/ioc/cases.json): per-type counts
// worked out by hand for each string, and the totals of a table of all of them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_TYPES, IOC_TYPES, IocExtractor, type IocType } from '../../../src/lib/ioc';

const FIXTURE = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/ioc/cases.json'), 'utf8')) as {
  cases: Record<string, { input: string; expected_counts: Record<string, number> }>;
  tables: Record<'default_types_and_windows_path' | 'ipv4_ipv6_url_linux_path_hashes' | 'ipv4_url_md5_hash', Record<string, number>>;
};
const CASES = FIXTURE.cases;
const count = (r: Partial<Record<IocType, string[]>>, t: string) => (r[t as IocType] ?? []).length;

test('every case gives its hand-counted per-type counts (all types, paths included)', () => {
  const ex = new IocExtractor({ types: IOC_TYPES });
  assert.equal(Object.keys(CASES).length, 15);
  for (const [name, c] of Object.entries(CASES)) {
    const r = ex.extract(c.input);
    for (const [type, n] of Object.entries(c.expected_counts)) assert.equal(count(r, type), n, `${name}: ${type} in ${JSON.stringify(r)}`);
  }
});

test('specific observables: trailing quote in the url path, IPv4-mapped IPv6 as IPv4, decoded URL, separate paths, PSL check', () => {
  const ex = new IocExtractor({ types: IOC_TYPES });
  const quoted = ex.extract(CASES.url_quote.input);
  assert.deepEqual(quoted.url, ["https://intel.example.org/ip/198.51.100.23/report'"]);
  assert.deepEqual([quoted.dns, quoted.ipv4], [['intel.example.org'], ['198.51.100.23']]);
  const v6 = ex.extract(CASES.ipv6.input);
  assert.deepEqual(v6.ipv6, ['fe80::1ff:fe23:4567:890a', '2001:db8:0:0:0:0:2:1', '2001:db8::2:1']);
  assert.deepEqual(v6.ipv4, ['198.51.100.7']);
  assert.deepEqual(ex.extract(CASES.url_encoded.input).url, [
    'http://portal.example.com/go?next=https%3A%2F%2Fauth.example.net%2Flogin',
    'http://portal.example.com/go?next=https://auth.example.net/login',
  ]);
  assert.deepEqual(ex.extract(CASES.linux_path.input).linux_path, ['/tmp/.x/payload', './stage2', '../lib/libcrypt']);
  assert.deepEqual(ex.extract(CASES.dns.input).dns, ['cdn.example.com', 'updates.example.co.uk']);
  assert.deepEqual(ex.extract(CASES.dns_fake_tld.input), {});
  assert.deepEqual(ex.extract(CASES.windows_path.input).windows_path, ['C:\\Windows\\Temp\\svc.exe', 'D:\\tools\\nc64.exe']);
});

test('table extraction of all cases: per-type totals for three type selections', () => {
  const perCell = (types: IocType[]) => {
    const ex = new IocExtractor({ types });
    const totals: Record<string, number> = {};
    for (const c of Object.values(CASES)) for (const [t, list] of Object.entries(ex.extract(c.input))) totals[t] = (totals[t] ?? 0) + list.length;
    return totals;
  };
  const check = (types: IocType[], expected: Record<string, number>) => {
    const got = perCell(types);
    for (const [t, n] of Object.entries(expected)) assert.equal(got[t] ?? 0, n, `${types.join(',')}: ${t}`);
  };
  // Default types plus windows_path (include_paths=True in table mode).
  check([...DEFAULT_TYPES, 'windows_path'], FIXTURE.tables.default_types_and_windows_path);
  check(['ipv4', 'ipv6', 'url', 'linux_path', 'md5_hash', 'sha1_hash', 'sha256_hash'], FIXTURE.tables.ipv4_ipv6_url_linux_path_hashes);
  check(['ipv4', 'url', 'md5_hash'], FIXTURE.tables.ipv4_url_md5_hash);
});
