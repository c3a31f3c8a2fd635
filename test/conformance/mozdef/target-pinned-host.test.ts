// Conformance: documents secflow builds with the recorded pinned host fields are, once
// loginput (the emulator) has published them, exactly the recorded esworker inputs
// (esworker_keymapping.json), and the HTTP body and syslog line of the upstream client
// fixtures are Python's json.dumps bytes. The unit tests check the same on the
// project's own records and documents (test/fixtures/mozdef).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { LoginputEmulator } from '../../emulators/mozdef-loginput';
import { MozDefTarget, buildEvent, httpBody, lineBody, Doc } from '../../../src/lib/mozdef';
import { PINNED_HOST } from '../../unit/mozdef/helpers';
import { vectorPath } from '../../support/vectors';

const vector = <T>(name: string): T => JSON.parse(fs.readFileSync(vectorPath('mozdef', name), 'utf8')) as T;
const hasPython = spawnSync('python3', ['-c', 'import json'], { stdio: 'ignore' }).status === 0;

test('esworker_keymapping inputs: with the pinned host fields, loginput publishes exactly those documents', async (t) => {
  const records = vector<{ records: Array<{ input: Doc }> }>('esworker_keymapping.json').records;
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  const target = new MozDefTarget({ url, transport: 'http', backoff: { baseMs: 20, maxMs: 200 } });
  target.start();
  t.after(async () => { await target.close(); await emu.close(); });
  for (const { input } of records) {
    const { endpoint: _e, customendpoint: _c, ...fields } = input;
    const isVuln = input.endpoint === 'vulnerability';
    const built = isVuln
      ? buildEvent({ type: 'vulnerability', config: {}, msg: { payload: fields }, host: PINNED_HOST })
      : buildEvent({ type: fields.category === 'complianceitems' ? 'compliance' : fields.category === 'asset_hint' ? 'assethint' : 'event', config: {}, msg: { event: fields }, host: PINNED_HOST });
    target.enqueue({ kind: isVuln ? 'vulnerability' : 'event', doc: built.doc });
  }
  assert.equal(await target.drained(10_000), true);
  assert.deepEqual(emu.messages(), records.map((r) => r.input));
});

test('the upstream client fixtures: httpBody and lineBody are json.dumps bytes', { skip: !hasPython && 'python3 is not installed' }, () => {
  const { fixtures } = vector<{ fixtures: Record<string, Doc> }>('client_unit_tests.json');
  for (const doc of Object.values(fixtures)) {
    const py = (code: string) => execFileSync('python3', ['-c', `import json,sys; sys.stdout.write(${code})`], { input: JSON.stringify(doc), encoding: 'utf8' });
    assert.equal(httpBody(doc), py('json.dumps(json.load(sys.stdin), sort_keys=True, indent=4)'));
    assert.equal(lineBody(doc), py('json.dumps(json.load(sys.stdin))'));
  }
});
