// The demo sandbox: every emulator on a fixed loopback port, so that the example
// flows run with no cloud account. `npm start` and the e2e suite start it.
// Each emulated service exports `startDemo(port)` from its test/emulators module;
// add a line to SERVICES when an area adds an emulator.

export interface DemoHandle {
  url: string;
  close(): Promise<void>;
}

export interface SandboxService {
  name: string;
  port: number;
  start(port: number, log: (line: string) => void): Promise<DemoHandle>;
}

/** Fixed ports: example flows refer to them. */
export const SANDBOX_PORTS = {
  code42: 18420,
  incydr: 18421,
  smtp: 18425,
  cbc: 18430,
  mozdef: 18440,
  notify: 18450,
  /** The syslog receiver (TCP and UDP) where example flows send syslog. */
  syslog: 15514,
  /** What the syslog receiver got: GET /__emulator/syslog. */
  syslogReceived: 18460,
} as const;

export const SERVICES: SandboxService[] = [
  { name: 'Carbon Black Cloud', port: SANDBOX_PORTS.cbc, start: (port) => import('../test/emulators/carbonblack').then((m) => m.startDemo(port)) },
  { name: 'MozDef loginput', port: SANDBOX_PORTS.mozdef, start: (port) => import('../test/emulators/mozdef-loginput').then((m) => m.startDemo(port)) },
  { name: 'Notify (Discord, Slack, Telegram, ntfy, Gotify, Pushover, Workflows, webhooks)', port: SANDBOX_PORTS.notify, start: (port) => import('../test/emulators/notify').then((m) => m.startDemo(port)) },
  { name: 'SMTP (demo mail sink)', port: SANDBOX_PORTS.smtp, start: (port) => import('../test/emulators/smtp').then((m) => m.startDemo(port)) },
  { name: 'Code42 (legacy v1)', port: SANDBOX_PORTS.code42, start: (port) => import('../test/emulators/code42').then((m) => m.startDemo(port)) },
  { name: 'Code42 Incydr', port: SANDBOX_PORTS.incydr, start: (port) => import('../test/emulators/incydr').then((m) => m.startDemo(port)) },
  { name: 'Syslog receiver', port: SANDBOX_PORTS.syslog, start: (port, log) => import('../test/emulators/syslog-receiver').then((m) => m.startDemo(port, SANDBOX_PORTS.syslogReceived, log)) },
];

export async function startSandbox(log: (line: string) => void = console.log): Promise<{ stop(): Promise<void> }> {
  const handles: DemoHandle[] = [];
  for (const service of SERVICES) {
    const handle = await service.start(service.port, log);
    handles.push(handle);
    log(`  sandbox: ${service.name} emulator at ${handle.url}`);
  }
  return {
    async stop() {
      await Promise.all(handles.map((h) => h.close()));
    },
  };
}
