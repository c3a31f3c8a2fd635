// Linux host hunting speed: syslog classification/parsing (target ≥ 200,000
// lines/s on one core) and IoC extraction (target ≥ 20 MB/s), plus adversarial
// IoC input (long dotted, hyphenated or repeated text) showing linear time:
// the 100,000-character case should take about 4x the 25,000-character one.
// Rates are per CPU second of this process (one core).
import { IocExtractor, IOC_TYPES } from '../src/lib/ioc';
import { classifyRow, parseSyslogLine, type SyslogRow } from '../src/lib/linux';
import { ownPeakRssBytes } from './_proc';

type Row = Record<string, string | number>;

const TEMPLATES = [
  '<86>Nov 23 05:20:%S web%H sshd[%P]: Failed password for invalid user admin%N from 203.0.113.%N port 4%P ssh2',
  '<86>Nov 23 05:20:%S web%H sshd[%P]: Accepted publickey for alice%N from 198.51.100.%N port 5%P ssh2: RSA SHA256:Zm9vYmFy%N',
  '<86>Nov 23 05:20:%S web%H sshd[%P]: pam_unix(sshd:session): session opened for user alice%N(uid=1000) by (uid=0)',
  '<85>Nov 23 05:20:%S web%H sudo[%P]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt-get install -y pkg%N',
  '<86>Nov 23 05:20:%S web%H sudo[%P]: pam_unix(sudo:session): session closed for user root',
  '<78>Nov 23 05:20:%S web%H CRON[%P]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)',
  '<86>Nov 23 05:20:%S web%H useradd[%P]: new user: name=user%N, UID=1%N, GID=1%N, home=/home/user%N, shell=/bin/bash',
  '<30>Nov 23 05:20:%S web%H systemd[1]: Started Session %N of user alice.',
  '<86>1 2026-11-23T05:20:%S.123456Z web%H su %P - - pam_unix(su:session): session opened for user root by alice(uid=1000)',
];

function lines(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = TEMPLATES[i % TEMPLATES.length];
    out.push(t.replace(/%S/g, String(i % 60).padStart(2, '0')).replace(/%H/g, String(i % 7)).replace(/%P/g, String(1000 + (i % 9000))).replace(/%N/g, String(i % 250)));
  }
  return out;
}

/**
 * Runs fn until minMs of CPU time passed; returns the CPU seconds used. CPU time,
 * not wall time: "on one core" even when other processes share the machine.
 */
function timeIt(fn: () => void, minMs = 1500): { seconds: number; rounds: number } {
  fn(); // warm up
  const start = process.cpuUsage();
  let rounds = 0;
  let elapsed: number;
  do {
    fn();
    rounds++;
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  } while (elapsed < minMs);
  return { seconds: elapsed / 1000, rounds };
}

const rssMb = () => Math.round(ownPeakRssBytes() / 1048576);

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  const input = lines(100_000);
  const now = new Date('2026-11-23T06:00:00Z');
  let parsed: SyslogRow[] = [];
  const parse = timeIt(() => {
    parsed = input.map((l) => parseSyslogLine(l, { now }));
  });
  rows.push({ case: 'parse raw lines (RFC 3164/5424)', unit: 'lines/s', rate: Math.round((input.length * parse.rounds) / parse.seconds), target: 200_000, 'peak RSS MB': rssMb() });
  const classify = timeIt(() => {
    for (const r of parsed) classifyRow(r);
  });
  rows.push({ case: 'classify Sentinel rows', unit: 'lines/s', rate: Math.round((parsed.length * classify.rounds) / classify.seconds), target: 200_000, 'peak RSS MB': rssMb() });
  const both = timeIt(() => {
    for (const l of input) classifyRow(parseSyslogLine(l, { now }));
  });
  rows.push({ case: 'parse + classify raw lines', unit: 'lines/s', rate: Math.round((input.length * both.rounds) / both.seconds), target: 200_000, 'peak RSS MB': rssMb() });

  const messages = input.slice(0, 50_000).map((l) => l.slice(l.indexOf(': ') + 2) + ' fetched https://cdn.example.com/a/b?id=42 md5 00236a2ae558018ed13b5222ef1bd987');
  const mb = messages.reduce((a, m) => a + m.length, 0) / 1e6;
  const ex = new IocExtractor({});
  const ioc = timeIt(() => {
    for (const m of messages) ex.extract(m);
  }, 3000);
  rows.push({ case: 'IoC extract, syslog messages, default types', unit: 'MB/s', rate: (mb * ioc.rounds) / ioc.seconds, target: 20, 'peak RSS MB': rssMb() });
  const all = new IocExtractor({ types: IOC_TYPES });
  const iocAll = timeIt(() => {
    for (const m of messages) all.extract(m);
  }, 3000);
  rows.push({ case: 'IoC extract, syslog messages, all types incl. paths', unit: 'MB/s', rate: (mb * iocAll.rounds) / iocAll.seconds, target: '', 'peak RSS MB': rssMb() });

  const adversarial: Record<string, (n: number) => string> = {
    'dotted a.a.a…': (n) => 'a.'.repeat(n / 2),
    'dotted digits 1.1.1…': (n) => '1.'.repeat(n / 2),
    'hyphenated 63-char labels': (n) => ('a-'.repeat(31) + 'a.').repeat(n / 64),
    'one huge label + .com': (n) => 'a'.repeat(n - 4) + '.com',
    'slashes ////': (n) => '/'.repeat(n),
    'backslashes \\\\\\': (n) => '\\'.repeat(n),
    'user chars, no @': (n) => 'a'.repeat(n),
    'URL with %41 path': (n) => 'http://x/' + '%41'.repeat(n / 3),
  };
  for (const [name, make] of Object.entries(adversarial)) {
    const small = make(25_000);
    const large = make(100_000);
    const s = timeIt(() => all.extract(small), 300);
    const l = timeIt(() => all.extract(large), 300);
    const perSmall = s.seconds / s.rounds;
    const perLarge = l.seconds / l.rounds;
    rows.push({ case: `IoC adversarial: ${name} (100k chars)`, unit: 'MB/s', rate: large.length / 1e6 / perLarge, target: 'linear: ≈4x', 'time 100k / 25k': perLarge / perSmall, 'peak RSS MB': rssMb() });
  }
  return rows;
}

if (require.main === module) {
  run().then(
    (rows) => console.table(rows),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
