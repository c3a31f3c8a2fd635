// The streaming form of the risky-command hunt, for events that arrive one by
// one: rule matches per command, command-speed windows over the commands seen
// (kept in time order, so late arrivals still count), and sessions checked
// against the findings that fall inside them.
import { checkCommand, DEFAULT_MAX_COMMAND_LENGTH, type Rule } from './rules';
import { parseTime } from './time';

type Row = Record<string, unknown>;

export interface RiskyFinding {
  kind: 'risky';
  TimeGenerated: unknown;
  Computer: string;
  command: string;
  rule: string;
  event: Row;
  /** Set when the command was longer than the limit: the rules saw only its start. */
  truncated?: true;
  commandLength?: number;
}

/** A command longer than the limit: the rules saw only its first `limit` characters. */
export interface TruncatedFinding {
  kind: 'truncated';
  TimeGenerated: unknown;
  Computer: string;
  commandLength: number;
  limit: number;
  event: Row;
}

export interface SpeedFinding {
  kind: 'speed';
  Computer: string;
  /** Commands in the window (events + 1), oldest first. */
  rows: Row[];
  deltaSeconds: number;
  /** The time of the window's second command: what marks a session (msticpy's rule). */
  markTime: string;
}

export interface RiskySession extends Record<string, unknown> {
  RiskyCommands: Array<{ TimeGenerated: unknown; command: string; rule: string }>;
  SuspiciousPatterns: Array<{ TimeGenerated: string; deltaSeconds: number; commands: string[] }>;
  /** msticpy's value for the session: the (last) risky command, or "Suspicious event pattern". */
  Risk: string;
}

export interface StreamOptions {
  rules: Rule[];
  commandField: string;
  speedEvents: number;
  speedSeconds: number;
  /** How many recent commands and findings are remembered for sessions; default 10,000. */
  memory?: number;
  /** Longest command text a rule sees (default 64 KiB); a longer one gives a `truncated` finding. */
  maxLength?: number;
}

interface Cmd {
  seq: number;
  time: number;
  row: Row;
  command: string;
}

export class RiskyCommandStream {
  private commands: Cmd[] = [];
  private seq = 0;
  private emittedWindows = new Set<string>();
  private risky: Array<{ time: number; finding: RiskyFinding }> = [];
  private speed: Array<{ time: number; finding: SpeedFinding }> = [];
  private readonly memory: number;

  constructor(private readonly options: StreamOptions) {
    this.memory = options.memory ?? 10_000;
  }

  /** Checks one event; returns its rule matches and any new speed windows. */
  push(row: Row, nowMs = Date.now()): Array<RiskyFinding | SpeedFinding | TruncatedFinding> {
    const raw = row[this.options.commandField];
    if (raw === undefined || raw === null || raw === '') return [];
    const command = String(raw);
    const time = parseTime(row.TimeGenerated) ?? nowMs * 1000;
    const computer = row.Computer === undefined || row.Computer === null ? '' : String(row.Computer);
    const out: Array<RiskyFinding | SpeedFinding | TruncatedFinding> = [];
    const { rules, maxLength } = this.options;
    const check = checkCommand(rules, command, maxLength);
    for (const r of check.hits) {
      const finding: RiskyFinding = { kind: 'risky', TimeGenerated: row.TimeGenerated, Computer: computer, command, rule: rules[r].source, event: row };
      if (check.cutFrom !== undefined) Object.assign(finding, { truncated: true, commandLength: check.cutFrom });
      out.push(finding);
      this.remember(this.risky, { time, finding });
    }
    if (check.cutFrom !== undefined) {
      out.push({ kind: 'truncated', TimeGenerated: row.TimeGenerated, Computer: computer, commandLength: check.cutFrom, limit: maxLength ?? DEFAULT_MAX_COMMAND_LENGTH, event: row });
    }
    out.push(...this.speedWindows({ seq: this.seq++, time, row, command }));
    return out;
  }

  private speedWindows(cmd: Cmd): SpeedFinding[] {
    const { speedEvents: n, speedSeconds } = this.options;
    if (!(n > 0) || !(speedSeconds > 0)) return [];
    // Insert in time order (stable: equal times keep arrival order).
    let pos = this.commands.length;
    while (pos > 0 && this.commands[pos - 1].time > cmd.time) pos--;
    this.commands.splice(pos, 0, cmd);
    const out: SpeedFinding[] = [];
    for (let i = Math.max(0, pos - n); i <= pos && i + n < this.commands.length; i++) {
      const first = this.commands[i];
      const last = this.commands[i + n];
      const delta = last.time - first.time;
      if (delta >= speedSeconds * 1e6) continue;
      const window = this.commands.slice(i, i + n + 1);
      const key = window.map((c) => c.seq).join(',');
      if (this.emittedWindows.has(key)) continue;
      this.emittedWindows.add(key);
      const second = window[1] ?? window[0];
      const finding: SpeedFinding = {
        kind: 'speed',
        Computer: second.row.Computer === undefined || second.row.Computer === null ? '' : String(second.row.Computer),
        rows: window.map((c) => c.row),
        deltaSeconds: delta / 1e6,
        markTime: String(second.row.TimeGenerated ?? ''),
      };
      out.push(finding);
      this.remember(this.speed, { time: second.time, finding });
    }
    const keep = Math.max(n + 1, Math.min(this.memory, 1000));
    if (this.commands.length > keep) this.commands.splice(0, this.commands.length - keep);
    if (this.emittedWindows.size > this.memory) this.emittedWindows = new Set([...this.emittedWindows].slice(-Math.floor(this.memory / 2)));
    return out;
  }

  /** The session with its risky commands and suspicious patterns, or null when it has none. */
  checkSession(session: Row): RiskySession | null {
    const start = parseTime(session.Start);
    if (start === null) return null;
    const end = session.End === null || session.End === undefined ? Number.POSITIVE_INFINITY : (parseTime(session.End) ?? Number.NaN);
    const computer = session.Computer === undefined || session.Computer === null ? '' : String(session.Computer);
    const within = (time: number, c: string) => start <= time && time <= end && (!computer || !c || c === computer);
    // sudo logs the COMMAND line just before it opens the session: a command of the
    // session's own process up to 5 s before the start belongs to it.
    const pid = session.ProcessID === undefined || session.ProcessID === null ? '' : String(session.ProcessID);
    const ownEarlier = (r: { time: number; finding: RiskyFinding }) => pid !== '' && String(r.finding.event.ProcessID ?? '') === pid && r.time >= start - 5_000_000 && within(start, r.finding.Computer);
    const risky = this.risky.filter((r) => within(r.time, r.finding.Computer) || ownEarlier(r)).map((r) => r.finding);
    const speed = this.speed.filter((s) => within(s.time, s.finding.Computer)).map((s) => s.finding);
    if (risky.length === 0 && speed.length === 0) return null;
    return {
      ...session,
      RiskyCommands: risky.map((r) => ({ TimeGenerated: r.TimeGenerated, command: r.command, rule: r.rule })),
      SuspiciousPatterns: speed.map((s) => ({ TimeGenerated: s.markTime, deltaSeconds: s.deltaSeconds, commands: s.rows.map((r) => String(r[this.options.commandField])) })),
      Risk: speed.length > 0 ? 'Suspicious event pattern' : risky[risky.length - 1].command,
    };
  }

  private remember<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > this.memory) list.splice(0, list.length - this.memory);
  }
}
