// secflow-notify with msg.attachments through the Node-RED runtime: a file path inside
// the node's attachment directory reaches the Apprise API emulator as multipart; a path
// outside it is an error naming the item (caught), and nothing is sent.
import { afterEach, after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import notifyNode from '../../src/nodes/secflow-notify';
import targetsNode from '../../src/nodes/secflow-notify-targets';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { NotifyEmulator } from '../emulators/notify';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');

let emu: NotifyEmulator;
let host: string;
let root: string;
let dir: string;

before(async () => {
  emu = new NotifyEmulator();
  host = (await emu.listen()).replace('http://', '');
  root = mkdtempSync(path.join(tmpdir(), 'secflow-node-attach-'));
  dir = path.join(root, 'reports');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'tree.html'), '<ul><li>sshd<ul><li>sudo</li></ul></li></ul>');
  writeFileSync(path.join(root, 'shadow'), 'root:x');
});
after(async () => {
  await emu.close();
  rmSync(root, { recursive: true, force: true });
});

function flow(): FlowNode[] {
  return [
    { id: 'a-tab', type: 'tab', label: 'attachments' },
    { id: 'a-targets', type: 'secflow-notify-targets', name: 'soc', endpoints: '' },
    {
      id: 'a-notify', type: 'secflow-notify', z: 'a-tab', name: 'alert', targets: 'a-targets', tag: '', title: '', body: '',
      notifyType: 'info', format: 'text', aggregateBy: '', aggregateTimeout: 30, aggregateMax: 50, closeWhen: '', allowUrls: false, attachmentDir: dir, wires: [['a-out']],
    },
    { id: 'a-out', type: 'helper', z: 'a-tab' },
    { id: 'a-catch', type: 'catch', z: 'a-tab', scope: ['a-notify'], uncaught: false, wires: [['a-caught']] },
    { id: 'a-caught', type: 'helper', z: 'a-tab' },
  ];
}

describe('secflow-notify: msg.attachments', () => {
  afterEach(() => unloadFlow());

  it('sends a file from the attachment directory and refuses one outside it', async () => {
    await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule, catchNode], flow(), { 'a-targets': { urls: `apprise://${host}/t0ken` } });
    const notify = helper.getNode('a-notify');
    const out = collect(helper.getNode('a-out'));
    const caught = collect(helper.getNode('a-caught'));
    notify.receive({ topic: 'sudo on web-1', payload: 'tree attached', attachments: ['tree.html', { name: 'inline.txt', data: Buffer.from('inline') }] });
    const [sent] = await out.waitFor(1);
    assert.equal((sent.notify as { ok: boolean }).ok, true);
    assert.deepEqual(emu.files.map((f) => [f.field, f.name, f.data.toString()]), [['file01', 'tree.html', '<ul><li>sshd<ul><li>sudo</li></ul></li></ul>'], ['file02', 'inline.txt', 'inline']]);
    emu.log.length = 0;
    notify.receive({ topic: 'sudo', payload: 'x', attachments: ['../shadow'] });
    const [err] = await caught.waitFor(1);
    assert.match(String((err.error as { message: string }).message), /msg\.attachments\[0\].*outside the attachment directory/);
    assert.equal(emu.log.length, 0, 'nothing sent');
  });
});
