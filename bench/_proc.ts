// What the benches read about a process they run (Linux /proc), and the median they
// report.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Resident set of a process now, in MB, or NaN where there is none. */
export function rssMb(pid: number | undefined): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * This process's peak resident set in bytes: /proc's VmHWM, which starts afresh with
 * the program (getrusage's maxRSS survives fork and exec, so a child spawned by a
 * bench process holding 3 GB reported 3 GB). maxRSS where there is no /proc.
 */
export function ownPeakRssBytes(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (kb) return Number(kb[1]) * 1024;
  } catch {
    // no /proc
  }
  return process.resourceUsage().maxRSS * 1024;
}

let clockTicks: number | undefined;

/** Seconds per clock tick of /proc/<pid>/stat's times (USER_HZ). */
export function tickSeconds(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return 1 / clockTicks;
}

/** CPU seconds (user + system, all threads) a process has used so far, or NaN. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * tickSeconds(); // utime, stime (fields 14, 15)
  } catch {
    return NaN;
  }
}

/** The median (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Runs a Python driver of bench/python-reference (python3, or SECFLOW_PYTHON) and
 * resolves with the JSON of the last line it printed; rejects with the end of its
 * stderr if it fails or prints none.
 */
export function runPythonDriver(driver: string, args: string[], env: NodeJS.ProcessEnv): Promise<unknown> {
  const python = process.env.SECFLOW_PYTHON ?? 'python3';
  return new Promise((resolve, reject) => {
    const child = spawn(python, [driver, ...args], { env: { ...env, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${python} ${path.basename(driver)} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' / ')}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      } catch (e) {
        reject(new Error(`${path.basename(driver)} printed no result: ${(e as Error).message}; stderr: ${err.trim().slice(-300)}`));
      }
    });
  });
}
