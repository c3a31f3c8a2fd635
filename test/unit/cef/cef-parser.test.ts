// The test parser itself, on examples written by hand from the CEF
// specification, so that the round-trip tests cannot pass by the parser and the
// formatter sharing a mistake.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter } from '../../../src/lib/cef';
import { extensionMap, parseCef } from './cef-parser';

describe('CEF parser (test support)', () => {
  it('reads the specification\'s header example with an escaped pipe and backslash', () => {
    const p = parseCef('CEF:0|security|threatmanager|1.0|100|detected a \\| in message|10|src=10.0.0.1 act=blocked a \\\\ dst=1.1.1.1');
    assert.deepEqual([p.version, p.vendor, p.product, p.deviceVersion, p.signatureId, p.name, p.severity], ['0', 'security', 'threatmanager', '1.0', '100', 'detected a | in message', '10']);
    assert.deepEqual(p.extension, [['src', '10.0.0.1'], ['act', 'blocked a \\'], ['dst', '1.1.1.1']]);
  });

  it('reads escaped equals signs, line breaks and values with spaces', () => {
    const p = parseCef('CEF:0|v|p|1|s|n|5|msg=a\\=b c\\nd\\r fname=x y=');
    assert.deepEqual(extensionMap(p), { msg: 'a=b c\nd\r', fname: 'x', y: '' });
    assert.deepEqual(parseCef('CEF:0|v|p|1|s|n|5|').extension, []);
  });

  it('rejects malformed records', () => {
    assert.throws(() => parseCef('LEEF:1|x'), /missing "CEF:" prefix/);
    assert.throws(() => parseCef('CEF:0|v|p|1|s|n'), /truncated header/);
    assert.throws(() => parseCef('CEF:0|v|p|1|s|n|5|msg=a=b'), /unescaped "="/);
  });

  it('shows why `spec` is the default: with `none`, a crafted file name forges a field', () => {
    const event = { eventType: 'CREATED', fileName: 'report.pdf act=allowed', osHostName: 'h' };
    assert.deepEqual(extensionMap(parseCef(compileFormatter({ escaping: 'none' })(event))), { fname: 'report.pdf', act: 'allowed', shost: 'h' });
    assert.deepEqual(extensionMap(parseCef(compileFormatter({ escaping: 'spec' })(event))), { fname: 'report.pdf act=allowed', shost: 'h' });
  });
});
