// Conformance: for an emulator tree of the README example's shape, compat mode writes
// tree JSON byte-identical to the README's (cb_process_tree_example.json, whose copy
// ends with a newline the exporter does not write). test/unit/carbonblack/export.test.ts
// checks the same on the project's own tree (test/fixtures/carbonblack/process-tree.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { CbcClient } from '../../../src/lib/carbonblack/client';
import { exportProcessTree } from '../../../src/lib/carbonblack/export';
import { DEFAULT_SUMMARY_CONFIG } from '../../../src/lib/carbonblack/summary';
import type { TreeNode } from '../../../src/lib/carbonblack/types';
import { CbcEmulator, Ev, startCbcEmulator } from '../../emulators/carbonblack';
import { vectorPath } from '../../support/vectors';

let emu: CbcEmulator;
let client: CbcClient;

before(async () => {
  emu = await startCbcEmulator();
  client = new CbcClient({ url: emu.baseUrl, orgKey: emu.orgKey, apiId: 'APIID01', apiSecret: 'apisecret', pollMs: 5 });
});
after(async () => {
  client.close();
  await emu.close();
});

/** Each parent announces its children by childproc events, in the given order. */
function addTree(parent: TreeNode): void {
  const children = parent.children ?? [];
  const events: Ev[] = children.map((child, i) => ({
    event_timestamp: `2024-02-01T10:00:0${9 - i}.000Z`, event_type: 'childproc', process_guid: parent.guid, process_pid: 1,
    childproc_process_guid: child.guid, childproc_name: child.name, childproc_pid: child.pid, childproc_username: 'root', childproc_cmdline: String(child.name),
  }));
  events.push({ event_timestamp: '2024-02-01T09:00:00.000Z', event_type: 'netconn', process_guid: parent.guid, process_pid: 1, netconn_inbound: false, netconn_protocol: 'PROTO_TCP', netconn_remote_ipv4: -1062731519, netconn_remote_port: 443 });
  emu.addProcess(parent.guid, events);
  children.forEach(addTree);
}

test('compat mode tree JSON is byte-identical to the README example for the same shape', async () => {
  const expected = fs.readFileSync(vectorPath('carbonblack', 'cb_process_tree_example.json'), 'utf8').replace(/\n$/, '');
  const example = JSON.parse(expected) as TreeNode;
  addTree(example);
  const tree = await exportProcessTree(client, { guid: example.guid, depth: 2, levelMode: 'compat', summaryConfig: DEFAULT_SUMMARY_CONFIG, onProcess: () => undefined });
  assert.equal(tree!.json, expected);
  assert.equal(tree!.filename, `0_${example.guid}-process_tree.json`);
});
