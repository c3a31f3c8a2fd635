// Conformance: IoC extraction against msticpy's test_ioc_extractor.py cases (../shared/vectors/linux/ioc_test_cases.json).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_TYPES, IOC_TYPES, IocExtractor, type IocType } from '../../../src/lib/ioc';
import { vectorPath } from '../../support/vectors';

const CASES = JSON.parse(fs.readFileSync(vectorPath('linux', 'ioc_test_cases.json'), 'utf8')) as {
  cases: Record<string, { input: string; expected_counts: Record<string, number> }>;
  table_extract_all_cases: { expected_rows: Record<string, number> };
};

const count = (r: Partial<Record<IocType, string[]>>, t: string) => (r[t as IocType] ?? []).length;

test('every upstream string case gives the per-type counts msticpy asserts (all types, as extract(text, include_paths=True))', () => {
  const ex = new IocExtractor({ types: IOC_TYPES });
  assert.equal(Object.keys(CASES.cases).length, 17);
  for (const [name, c] of Object.entries(CASES.cases)) {
    const r = ex.extract(c.input);
    for (const [type, n] of Object.entries(c.expected_counts)) assert.equal(count(r, type), n, `${name}: ${type} in ${JSON.stringify(r)}`);
  }
});

test('specific observables: the url path swallows the trailing quote, the IPv4-mapped IPv6 is an IPv4', () => {
  const ex = new IocExtractor({ types: IOC_TYPES });
  const url2 = ex.extract(CASES.cases.url2.input);
  assert.deepEqual(url2.url, ["https://www.virustotal.com/en/ip-address/90.156.201.27/information/'"]);
  assert.deepEqual([url2.dns, url2.ipv4], [['www.virustotal.com'], ['90.156.201.27']]);
  const v6 = ex.extract(CASES.cases.ipv6.input);
  assert.deepEqual(v6.ipv6, ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:db8:85a3:0:0:8a2e:370:7334', '2001:db8:85a3::8a2e:370:7334']);
  assert.deepEqual(v6.ipv4, ['192.0.2.128']);
  assert.deepEqual(ex.extract(CASES.cases.linux_path.input).linux_path, ['/bin/bash', './bish', '../../bosh']);
});

test('table extraction of all cases: the per-type row counts msticpy asserts', () => {
  const perCell = (types: IocType[]) => {
    const ex = new IocExtractor({ types });
    const totals: Record<string, number> = {};
    for (const c of Object.values(CASES.cases)) for (const [t, list] of Object.entries(ex.extract(c.input))) totals[t] = (totals[t] ?? 0) + list.length;
    return totals;
  };
  // Default types plus windows_path (include_paths=True in table mode).
  const all = perCell([...DEFAULT_TYPES, 'windows_path']);
  for (const [t, n] of Object.entries(CASES.table_extract_all_cases.expected_rows)) assert.equal(all[t] ?? 0, n, t);
  // Explicit types including linux_path: 8 linux paths, no windows paths.
  const explicit = perCell(['ipv4', 'ipv6', 'url', 'linux_path', 'md5_hash', 'sha1_hash', 'sha256_hash']);
  assert.deepEqual([explicit.ipv4, explicit.ipv6, explicit.url, explicit.linux_path, explicit.windows_path ?? 0, explicit.md5_hash], [3, 3, 3, 8, 0, 3]);
  // ioc_types=[ipv4, url, md5_hash]
  const few = perCell(['ipv4', 'url', 'md5_hash']);
  assert.deepEqual([few.ipv4, few.url, few.md5_hash, few.ipv6 ?? 0, few.sha1_hash ?? 0], [3, 3, 3, 0, 0]);
});
