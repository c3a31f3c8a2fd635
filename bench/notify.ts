// Notifier CPU cost (issue 4, "Speed"): URL parsing and request building for
// 100,000 notifications spread over every service (parse the target URL, convert
// and split the body, build the service's requests). No network: this is the CPU
// the notifier adds per notification. Target: at most 1 ms of CPU each.
import { parseTarget, prepareParts, type Notification } from '../src/lib/notify';

const NOTIFICATIONS = 100_000;
const TARGET_CPU_MS = 1;

const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
const TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const URLS: Record<string, string[]> = {
  discord: ['discord://SecBot@112233445566778899/AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789_abcdefghijklmnopqrstuv', 'https://discord.com/api/webhooks/1122334455/tok-EN_abc9?format=markdown'],
  email: ['mailtos://alerts:S3cret@smtp.example.com?to=soc@example.com,ir@example.com&from=secflow@example.com', 'smtp://u:p@mail.example.com:465/?fromaddress=a@example.com&toaddresses=b@example.com&encryption=ImplicitTLS'],
  json: ['jsons://user:pw@hooks.example.com:8443/in/alerts?+X-Api-Key=K3yK3yK3y&-sig=1&:message=text'],
  form: ['forms://hooks.example.com/form'],
  xml: ['xmls://hooks.example.com/xml'],
  generic: ['generic://hooks.example.com/hook/abcdefghijk?template=json&$env=prod&@X-Team=soc'],
  slack: ['slack://SecBot@T1ABC/B2DEF/C3ghiJKL/#soc', 'slack://xoxb-1234-5678-abcdEFG/#soc'],
  telegram: ['tgram://123456789:AAHsecret-token_x/-1001234567890:42'],
  ntfy: ['ntfys://tk_abcdefghijk@ntfy.example.com/alerts?priority=high&tags=warning', 'ntfy://secflow-alerts'],
  gotify: ['gotifys://gotify.example.com/sub/AppT0kenXYZ?priority=high'],
  pushover: [`pover://${USER}@${TOKEN}/phone?priority=emergency`],
  workflows: ['workflows://prod-12.westus.logic.azure.com:443/0fe1abc/Sig-ABCdef123'],
};

function notification(i: number): Notification {
  const formats = ['text', 'markdown', 'html'] as const;
  const types = ['info', 'success', 'warning', 'failure'] as const;
  const format = formats[i % 3];
  const line = `user${i % 97} ran COMMAND=/usr/bin/apt-get install pkg-${i} on host-${i % 13} @everyone`;
  const body = format === 'html' ? `<p><b>${line}</b></p><p>${line}</p>` : format === 'markdown' ? `**${line}**\n\n- ${line}\n- \`${i}\`` : `${line}\n${line}`;
  return { title: `Alert ${i}`, body, type: types[i % 4], format };
}

/** Builds everything one notification needs for one URL; returns a size to keep the work observable. */
function buildOne(url: string, n: Notification): number {
  const target = parseTarget(url);
  let size = 0;
  for (const part of prepareParts(target, n)) size += target.def.build(target.config, part, { endpoints: {}, now: () => 1_700_000_000 }).length;
  return size;
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  const services = Object.keys(URLS);
  // Warm up the JIT on every path.
  for (let i = 0; i < 2000; i++) for (const s of services) buildOne(URLS[s][i % URLS[s].length], notification(i));
  const rows: Array<Record<string, string | number>> = [];
  let totalCpuUs = 0;
  let totalWallNs = 0n;
  let total = 0;
  let sink = 0;
  for (const [index, service] of services.entries()) {
    // 100,000 in all: the remainder goes to the first services.
    const per = Math.floor(NOTIFICATIONS / services.length) + (index < NOTIFICATIONS % services.length ? 1 : 0);
    const urls = URLS[service];
    const inputs = Array.from({ length: per }, (_, i) => notification(i));
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < per; i++) sink += buildOne(urls[i % urls.length], inputs[i]);
    const wall = process.hrtime.bigint() - start;
    const used = process.cpuUsage(cpu);
    const cpuUs = used.user + used.system;
    totalCpuUs += cpuUs;
    totalWallNs += wall;
    total += per;
    rows.push({
      service,
      notifications: per,
      'notifications/s': Math.round(per / (Number(wall) / 1e9)),
      'CPU µs/notification': Number((cpuUs / per).toFixed(1)),
      target: `≤ ${TARGET_CPU_MS * 1000} µs`,
    });
  }
  if (sink === 0) throw new Error('nothing was built');
  const perNotificationMs = totalCpuUs / total / 1000;
  rows.push({
    service: 'all services',
    notifications: total,
    'notifications/s': Math.round(total / (Number(totalWallNs) / 1e9)),
    'CPU µs/notification': Number((perNotificationMs * 1000).toFixed(1)),
    target: perNotificationMs <= TARGET_CPU_MS ? `≤ ${TARGET_CPU_MS * 1000} µs: met` : `≤ ${TARGET_CPU_MS * 1000} µs: MISSED`,
  });
  return rows;
}

if (require.main === module) {
  run().then((rows) => console.table(rows), (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
