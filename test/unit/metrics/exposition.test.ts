// The Prometheus text format secflow writes, checked against the spec's rules by an
// independent strict parser (test/support/prometheus-text.ts), which is itself
// checked to reject what the spec forbids.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHelp, escapeLabelValue, exposition, formatFamilies, formatValue, register, unregister } from '../../../src/lib/metrics';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('Prometheus exposition', () => {
  it('escapes backslash, double quote and newline in label values, and backslash and newline in HELP', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(escapeHelp('x\\y\nz "q"'), 'x\\\\y\\nz "q"');
  });

  it('writes Go-style special values', () => {
    assert.deepEqual([NaN, Infinity, -Infinity, 1.5, 0, 1e21].map(formatValue), ['NaN', '+Inf', '-Inf', '1.5', '0', '1e+21']);
  });

  it('writes HELP and TYPE before each family and leaves out families without samples', () => {
    const text = formatFamilies([
      { name: 'a_total', help: 'A.', type: 'counter', samples: [{ labels: { x: '1' }, value: 2 }] },
      { name: 'b', help: 'B.', type: 'gauge', samples: [] },
    ]);
    assert.equal(text, '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 2\n');
  });

  it('refuses invalid metric and label names', () => {
    assert.throws(() => formatFamilies([{ name: '1bad', help: '', type: 'gauge', samples: [] }]), /invalid metric name/);
    assert.throws(() => formatFamilies([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'v' }, value: 1 }] }]), /invalid label name/);
  });

  it('round-trips hostile node names through a strict parser, with the figures of each role', () => {
    const hostile = 'evil "name"\\ with\nnewline } , x="y"';
    const ex = register('exp-extractor', 'secflow-code42-alerts', hostile);
    ex.role = 'extractor';
    ex.received = 1;
    ex.sent = 4;
    ex.page(3, '2025-12-31T23:45:00Z');
    ex.run(2000, '2025-12-31T23:45:00Z', NOW - 1000);
    const cef = register('exp-cef', 'secflow-cef', '');
    cef.received = 3;
    cef.sent = 2;
    cef.failed = 1;
    cef.error('bad', NOW - 500);
    const sink = register('exp-syslog', 'secflow-syslog', 'to siem');
    sink.role = 'sink';
    sink.received = 2;
    sink.completed = 2;
    sink.bytes = 99;
    sink.lastSuccessMs = NOW - 2000;
    sink.queueDepth = () => 7;
    sink.spilled = () => 3;
    try {
      const families = parsePrometheusText(exposition([ex, cef, sink], NOW));
      const byName = new Map(families.map((f) => [f.name, f]));
      assert.equal(byName.get('secflow_events_total')?.type, 'counter');
      assert.equal(byName.get('secflow_cursor_lag_seconds')?.type, 'gauge');
      assert.ok(families.every((f) => f.help && f.help.length > 0));
      assert.equal(sampleValue(families, 'secflow_events_total', { node: 'exp-extractor', kind: 'out', name: hostile, type: 'secflow-code42-alerts' }), 4);
      assert.equal(sampleValue(families, 'secflow_extracted_events_total', { node: 'exp-extractor' }), 3);
      assert.equal(sampleValue(families, 'secflow_runs_total', { node: 'exp-extractor' }), 1);
      assert.equal(sampleValue(families, 'secflow_cursor_lag_seconds', { node: 'exp-extractor' }), 900);
      assert.equal(sampleValue(families, 'secflow_last_run_duration_seconds', { node: 'exp-extractor' }), 2);
      assert.equal(sampleValue(families, 'secflow_events_total', { node: 'exp-cef', kind: 'in' }), 3);
      assert.equal(sampleValue(families, 'secflow_failed_total', { node: 'exp-cef' }), 1);
      assert.equal(sampleValue(families, 'secflow_errors_total', { node: 'exp-cef' }), 1);
      assert.equal(sampleValue(families, 'secflow_last_error_timestamp_seconds', { node: 'exp-cef' }), (NOW - 500) / 1000);
      assert.equal(sampleValue(families, 'secflow_delivered_total', { node: 'exp-syslog', name: 'to siem', type: 'secflow-syslog' }), 2);
      assert.equal(sampleValue(families, 'secflow_queue_depth', { node: 'exp-syslog' }), 7);
      assert.equal(sampleValue(families, 'secflow_sent_bytes_total', { node: 'exp-syslog' }), 99);
      assert.equal(sampleValue(families, 'secflow_spilled_total', { node: 'exp-syslog' }), 3);
      assert.equal(sampleValue(families, 'secflow_last_success_timestamp_seconds', { node: 'exp-syslog' }), (NOW - 2000) / 1000);
      // Role-specific families leave other roles out.
      assert.throws(() => sampleValue(families, 'secflow_delivered_total', { node: 'exp-cef' }), /0 samples/);
      assert.throws(() => sampleValue(families, 'secflow_cursor_lag_seconds', { node: 'exp-syslog' }), /0 samples/);
      assert.throws(() => sampleValue(families, 'secflow_last_success_timestamp_seconds', { node: 'exp-cef' }), /0 samples/);
    } finally {
      [ex, cef, sink].forEach(unregister);
    }
  });
});

describe('the strict test parser', () => {
  const bad: Array<[string, string, RegExp]> = [
    ['unknown escape', 'a{x="\\t"} 1\n', /bad escape/],
    ['unterminated value', 'a{x="y} 1\n', /unterminated/],
    ['bad value', 'a 1,5\n', /bad value/],
    ['duplicate series', 'a{x="1"} 1\na{x="1"} 2\n', /duplicate/],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n', /after its samples/],
    ['split family', 'a 1\nb 1\na{x="2"} 1\n', /not one group/],
    ['missing final newline', 'a 1', /newline/],
    ['bad metric name', '# TYPE 9a gauge\n', /bad metric name/],
    ['label twice', 'a{x="1",x="2"} 1\n', /twice/],
  ];
  for (const [what, text, error] of bad) {
    it(`rejects ${what}`, () => assert.throws(() => parsePrometheusText(text), error));
  }

  it('reads labels with escapes, a trailing comma, special values and a timestamp', () => {
    const [f] = parsePrometheusText('# HELP a x\\\\y\n# TYPE a gauge\na{p="q\\"\\n\\\\",} +Inf 1700000000000\n');
    assert.equal(f.help, 'x\\y');
    assert.deepEqual(f.samples[0], { name: 'a', labels: { p: 'q"\n\\' }, value: Infinity, timestampMs: 1700000000000 });
  });
});
