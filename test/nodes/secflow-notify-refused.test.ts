// A message whose tags select only URLs refused at deploy says why in msg.notify
// (issue 15): the retired msteams:// URL points to workflows://, not just matched: 0.
import { afterEach, after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import notifyNode from '../../src/nodes/secflow-notify';
import targetsNode from '../../src/nodes/secflow-notify-targets';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { NotifyEmulator } from '../emulators/notify';

let emu: NotifyEmulator;
let host: string;

before(async () => {
  emu = new NotifyEmulator();
  host = (await emu.listen()).replace('http://', '');
});
after(() => emu.close());

function flow(): FlowNode[] {
  return [
    { id: 'r-tab', type: 'tab', label: 'refused' },
    { id: 'r-targets', type: 'secflow-notify-targets', name: 'soc', endpoints: '' },
    {
      id: 'r-notify', type: 'secflow-notify', z: 'r-tab', name: 'alert', targets: 'r-targets', tag: '', title: '', body: '',
      notifyType: 'info', format: 'text', aggregateBy: '', aggregateTimeout: 30, aggregateMax: 50, closeWhen: '', allowUrls: false, wires: [['r-out']],
    },
    { id: 'r-out', type: 'helper', z: 'r-tab' },
  ];
}

describe('secflow-notify: refused URLs', () => {
  afterEach(() => unloadFlow());

  it('names the refusal of the URLs the tags select (msteams:// → workflows://) and keeps secrets out', async () => {
    const urls = [
      'teams=msteams://T0k3nA/T0k3nB/T0k3nC',
      'chat=tgram://123456789:AAHsecret-token_x/not%20a%20chat',
      `ok=json://${host}/json/ok`,
    ].join('\n');
    await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule], flow(), { 'r-targets': { urls } });
    const notify = helper.getNode('r-notify');
    const out = collect(helper.getNode('r-out'));
    notify.receive({ payload: 'disk full', tag: 'teams' });
    notify.receive({ payload: 'disk full', tag: ['chat', 'teams'] });
    notify.receive({ payload: 'disk full', tag: 'nothing' });
    const [teams, both, none] = await out.waitFor(3);
    const t = teams.notify as { ok: boolean; matched: number; refused?: string[] };
    assert.deepEqual([t.ok, t.matched], [false, 0]);
    assert.equal(t.refused?.length, 1);
    assert.match(t.refused![0], /msteams:\/\/ is retired .*use workflows:\/\/HOST\/FLOW_ID\/SIGNATURE/);
    const b = both.notify as { refused?: string[] };
    assert.equal(b.refused?.length, 2);
    assert.match(b.refused!.join('\n'), /no valid chat/);
    assert.equal((none.notify as { refused?: string[] }).refused, undefined, 'tags that select no refused URL give no reasons');
    const text = JSON.stringify([teams, both]);
    for (const secret of ['T0k3nB', 'AAHsecret-token_x']) assert.ok(!text.includes(secret), secret);
  });
});
