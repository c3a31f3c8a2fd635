// The pipeline of issue 20 in a real Node-RED: Code42 file events (emulated, on
// loopback) → secflow-cef → secflow-syslog over TCP → a loopback line receiver,
// with the cursor in the write-through `file` store. Shared by the delivery e2e
// tests and the pipeline bench.

export type FlowNode = { id: string; type: string; z?: string; [k: string]: unknown };

export interface PipelineOptions {
  emulatorUrl: string;
  receiverPort: number;
  /** Confirm at the syslog sink (default true). */
  confirm?: boolean;
  output?: 'event' | 'page';
  pageSize?: number;
  /** Seconds between runs; 0 = only on input. */
  interval?: number;
  confirmTimeout?: number;
  queueSize?: number;
  /** Cursor key (default code42-cursor): a new key starts from the beginning. */
  cursorKey?: string;
  /** Add an inject node that starts one run right after the deploy. */
  injectOnce?: boolean;
}

/** The flow: ids `p-fe` (extractor), `p-cef`, `p-siem`. In page mode each page goes through as one message (an array). */
export function pipelineFlow(o: PipelineOptions): FlowNode[] {
  const z = 'p-tab';
  return [
    { id: z, type: 'tab', label: 'delivery pipeline' },
    { id: 'p-c42', type: 'secflow-code42', name: 'emulated tenant', url: o.emulatorUrl, authType: 'apiClient', apiVersion: 'v1', verifyTls: true, timeout: 10, retryScale: 0.01, credentials: { id: 'cid', secret: 'csecret' } },
    {
      id: 'p-fe', type: 'secflow-code42-file-events', z, name: 'file events', tenant: 'p-c42', filters: '', orMode: false, since: '', pageSize: o.pageSize ?? 500,
      interval: o.interval ?? 0, output: o.output ?? 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: o.cursorKey ?? 'code42-cursor', lookback: 0,
      confirm: o.confirm === false ? [] : ['p-siem'], confirmTimeout: o.confirmTimeout ?? 300, onFailure: 'stop',
      x: 140, y: 80, wires: [['p-cef'], []],
    },
    ...(o.injectOnce ? [{ id: 'p-go', type: 'inject', z, name: 'go', props: [{ p: 'payload' }], repeat: '', crontab: '', once: true, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date', x: 140, y: 40, wires: [['p-fe']] }] : []),
    { id: 'p-cef', type: 'secflow-cef', z, name: 'CEF', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', x: 460, y: 80, wires: [['p-siem']] },
    { id: 'p-siem', type: 'secflow-syslog', z, name: 'SIEM', host: '127.0.0.1', port: o.receiverPort, protocol: 'tcp', format: 'none', octetCounting: false, verifyTls: true, ca: '', queueSize: o.queueSize ?? 10000,
      // Above what the kernel buffers between sender and receiver can hold unread here (send buffer
      // plus the receiver's autotuned receive buffer), as the node's help asks: replay covers them.
      replayBytes: 16 * 1024 * 1024, facility: 'user', severity: 'info', x: 640, y: 80, wires: [] },
  ];
}

export async function deployFlow(url: string, flow: FlowNode[]): Promise<void> {
  const res = await fetch(`${url}/flows`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body: JSON.stringify(flow) });
  if (res.status !== 204) throw new Error(`deploy failed: HTTP ${res.status} ${await res.text()}`);
}

/** The event ids in CEF lines (`externalId=`). */
export function eventIds(lines: string[]): string[] {
  return lines.map((l) => /externalId=(\S+)/.exec(l)?.[1] ?? '').filter(Boolean);
}
