// secflow-notify-targets: the credential list (TEXT or Apprise YAML), the
// endpoints map (validated, honoured by HTTP services), errors at deploy.
import { afterEach, after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import notifyNode from '../../src/nodes/secflow-notify';
import targetsNode, { parseEndpoints } from '../../src/nodes/secflow-notify-targets';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { NotifyEmulator } from '../emulators/notify';

let emu: NotifyEmulator;
let base: string;

before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
});
after(() => emu.close());

function flow(endpoints: string): FlowNode[] {
  return [
    { id: 'n-tab', type: 'tab', label: 'targets test' },
    { id: 'n-targets', type: 'secflow-notify-targets', name: 'soc', endpoints },
    { id: 'n-notify', type: 'secflow-notify', z: 'n-tab', targets: 'n-targets', tag: 'all', notifyType: 'info', format: 'text', wires: [['n-out']] },
    { id: 'n-out', type: 'helper', z: 'n-tab' },
  ];
}

describe('secflow-notify-targets node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('reads Apprise YAML from the credential; endpoints redirect cloud services (Slack, Telegram, ntfy.sh) to the given base URL', async () => {
    const yaml = [
      'version: 1',
      'tag: soc',
      'urls:',
      '  - slack://T1ABC/B2DEF/C3ghiJKL',
      '  - tgram://123456789:AAHsecret-token_x/42:',
      '    - tag: chat',
      '  - ntfy://secflow-alerts',
    ].join('\n');
    emu.log.length = 0;
    await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule], flow(JSON.stringify({ slack: base, telegram: `${base}/`, ntfy: base })), { 'n-targets': { urls: yaml } });
    const targets = helper.getNode('n-targets');
    assert.deepEqual(targets.notify.errors, []);
    assert.deepEqual(targets.notify.targets.map((t: { service: string; tags: string[] }) => [t.service, t.tags]), [['slack', ['soc']], ['telegram', ['soc', 'chat']], ['ntfy', ['soc']]]);
    const out = collect(helper.getNode('n-out'));
    helper.getNode('n-notify').receive({ payload: 'to all', topic: 'T' });
    const [msg] = await out.waitFor(1);
    assert.equal((msg.notify as { sent: number }).sent, 3, JSON.stringify(msg.notify));
    assert.deepEqual(emu.log.map((e) => e.route).sort(), ['ntfy:publish', 'slack:webhook', 'telegram:sendMessage']);
  });

  it('invalid endpoints are reported at deploy and the URLs still load', async () => {
    await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule], flow('{"discord": "ftp://x"}'), { 'n-targets': { urls: 'json://127.0.0.1:1/json' } });
    const targets = helper.getNode('n-targets');
    assert.deepEqual(targets.notify.errors, ['endpoints.discord must be an http(s) base URL, got "ftp://x"']);
    assert.equal(targets.notify.targets.length, 1);
  });

  it('parseEndpoints names the problem', () => {
    assert.deepEqual(parseEndpoints(''), {});
    assert.deepEqual(parseEndpoints('{"Discord": "http://127.0.0.1:9000/api/"}'), { discord: 'http://127.0.0.1:9000/api' });
    assert.throws(() => parseEndpoints('{bad'), /endpoints must be JSON/);
    assert.throws(() => parseEndpoints('[]'), /endpoints must be a JSON object/);
  });
});
