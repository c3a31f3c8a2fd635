// A raw auditd log of any size, generated: the record mix of a busy Linux host
// (sshd password guessing, sudo sessions with PAM records, exec groups of
// SYSCALL/EXECVE/CWD/PATH/PROCTITLE with hex-encoded arguments, logins). Seeded,
// so every run parses the same text. Timestamps and serials only grow.

const hex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();

const COMMANDS: string[][] = [
  ['ls', '-la', '/var/log'],
  ['grep', '-r', 'Failed password', '/var/log/auth.log'],
  ['systemctl', 'restart', 'nginx'],
  ['tar', '-czf', '/tmp/backup.tgz', '/etc', '/srv/www', '--exclude=/srv/www/cache'],
  ['curl', '-s', 'https://updates.example.com/agent/latest'],
  ['python3', '-c', 'import os; print(os.getuid())'],
  ['iptables', '-w', '-t', 'filter', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-m', 'state', '--state', 'NEW', '-j', 'ACCEPT'],
];

export function generatedAuditdLog(targetMb: number, seed = 7): string {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const lines: string[] = [];
  let size = 0;
  let ms = 1_764_900_000_000;
  let serial = 1000;
  let pid = 3000;
  const push = (line: string) => {
    lines.push(line);
    size += line.length + 1;
  };
  const id = (sameMs = false) => {
    if (!sameMs) ms += 1 + Math.floor(rand() * 40);
    return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}:${serial++}`;
  };
  const pam = (type: string, op: string, user: string, p: number, ses: number, res = 'success', sameMs = false) =>
    push(`type=${type} msg=audit(${id(sameMs)}): pid=${p} uid=0 auid=${ses < 0 ? 4294967295 : 1000} ses=${ses < 0 ? 4294967295 : ses} subj=unconfined msg='op=${op} grantors=pam_unix acct="${user}" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/pts/1 res=${res}'`);
  const exec = (argv: string[], ppid: number, ses: number) => {
    const a = id();
    const p = pid++;
    const exe = argv[0].startsWith('/') ? argv[0] : `/usr/bin/${argv[0]}`;
    push(`type=SYSCALL msg=audit(${a}): arch=c000003e syscall=59 success=yes exit=0 a0=55d0${p.toString(16)} a1=55d1 a2=55d2 a3=0 items=2 ppid=${ppid} pid=${p} auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=${ses} comm="${argv[0].slice(0, 15)}" exe="${exe}" subj=unconfined key=(null)`);
    // Arguments with spaces or quotes are logged hex-encoded, as auditd does.
    push(`type=EXECVE msg=audit(${a}): argc=${argv.length} ${argv.map((v, i) => `a${i}=${/[\s"]/.test(v) ? hex(v) : `"${v}"`}`).join(' ')}`);
    push(`type=CWD msg=audit(${a}): cwd="/home/user${ses % 50}"`);
    push(`type=PATH msg=audit(${a}): item=0 name="${exe}" inode=${1000 + (p % 9000)} dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0`);
    push(`type=PATH msg=audit(${a}): item=1 name="/lib64/ld-linux-x86-64.so.2" inode=2113 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0`);
    push(`type=PROCTITLE msg=audit(${a}): proctitle=${hex(argv.join('\0')).slice(0, 256)}`);
    return p;
  };
  for (let ses = 1; size < targetMb * 1024 * 1024; ses++) {
    // Password guessing against sshd.
    for (let k = Math.floor(rand() * 4); k > 0; k--) {
      const p = pid++;
      push(`type=USER_AUTH msg=audit(${id()}): pid=${p} uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=PAM:authentication acct="admin" exe="/usr/sbin/sshd" hostname=203.0.113.${k} addr=203.0.113.${k} terminal=ssh res=failed'`);
      push(`type=USER_LOGIN msg=audit(${id()}): pid=${p} uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=login acct="admin" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.${k} terminal=sshd res=failed'`);
    }
    // A login, then a sudo session running a few commands.
    const shell = pid++;
    push(`type=LOGIN msg=audit(${id()}): pid=${shell} uid=0 subj=unconfined old-auid=4294967295 auid=1000 tty=(none) old-ses=4294967295 ses=${ses} res=1`);
    const sudo = pid++;
    pam('USER_ACCT', 'PAM:accounting', 'user', sudo, ses);
    push(`type=USER_CMD msg=audit(${id()}): pid=${sudo} uid=1000 auid=1000 ses=${ses} subj=unconfined msg='cwd="/home/user" cmd=${hex('systemctl status nginx')} terminal=pts/1 res=success'`);
    pam('CRED_ACQ', 'PAM:setcred', 'root', sudo, ses);
    pam('USER_START', 'PAM:session_open', 'root', sudo, ses, 'success', true);
    for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) exec(COMMANDS[Math.floor(rand() * COMMANDS.length)], sudo, ses);
    pam('USER_END', 'PAM:session_close', 'root', sudo, ses);
    pam('CRED_DISP', 'PAM:setcred', 'root', sudo, ses);
  }
  return lines.join('\n') + '\n';
}
