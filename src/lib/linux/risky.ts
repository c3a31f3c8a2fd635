// msticpy's risky_cmd_line, cmd_speed and risky_sudo_sessions.
// Default: rows stably sorted by time, every rule match kept. compat: input
// order and msticpy's shapes (last-wins dict keyed by the input time text,
// windows by descending index).
import { checkCommand, DEFAULT_MAX_COMMAND_LENGTH, type CommandCheck, type Rule } from './rules';
import { sortByTime } from './sessions';
import { parseTime } from './time';
import { TurnClock } from '../util/turns';

type Row = Record<string, unknown>;

export class CommandFieldError extends Error {}

export interface RiskyMatch {
  TimeGenerated: unknown;
  command: string;
  rule: string;
  rowIndex: number;
  /** Set when the command was longer than the limit: the rules saw only its start. */
  truncated?: true;
  commandLength?: number;
}

/** Rule checks per row (undefined: no command), as checkRows computes them. */
export type RowChecks = ReadonlyArray<CommandCheck | undefined>;

export interface RiskyOptions {
  /** Longest command text a rule sees (default 64 KiB). */
  maxLength?: number;
  /** Checks computed beforehand (checkRows, which yields between turns); else computed here. */
  checks?: RowChecks;
}

export interface SpeedWindow {
  index: number;
  rows: Row[];
  deltaSeconds: number;
}

export type CompatRisky = Record<string, string>;
export type CompatSpeed = Array<Record<number, [Row[], number]>>;

function command(row: Row, field: string): string | null {
  const v = row[field];
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : String(v);
  return s === '' ? null : s;
}

function requireField(rows: Row[], field: string, what: string): void {
  if (!rows.some((r) => field in r)) throw new CommandFieldError(`${what}: the provided dataset does not contain the ${field} field`);
}

/**
 * The rule checks of every row's command, yielding to the event loop between
 * turns: a batch of long commands takes a few ms per row and rule.
 */
export async function checkRows(rows: readonly Row[], rules: readonly Rule[], field = 'Command', maxLength = DEFAULT_MAX_COMMAND_LENGTH): Promise<Array<CommandCheck | undefined>> {
  const out: Array<CommandCheck | undefined> = new Array(rows.length);
  const clock = new TurnClock();
  for (let i = 0; i < rows.length; i++) {
    const cmd = command(rows[i], field);
    out[i] = cmd === null ? undefined : checkCommand(rules, cmd, maxLength);
    if (clock.due()) await clock.yield();
  }
  return out;
}

function checksOf(rows: readonly Row[], rules: readonly Rule[], field: string, options: RiskyOptions): RowChecks {
  return options.checks ?? rows.map((row) => {
    const cmd = command(row, field);
    return cmd === null ? undefined : checkCommand(rules, cmd, options.maxLength);
  });
}

/** Default: every (row, rule) match, rows in time order. */
export function riskyCommands(rows: Row[], rules: Rule[], field = 'Command', options: RiskyOptions = {}): RiskyMatch[] {
  requireField(rows, field, 'risky commands');
  const checks = checksOf(rows, rules, field, options);
  const indexed: Row[] = rows.map((row, rowIndex) => ({ ...row, __rowIndex: rowIndex }));
  const out: RiskyMatch[] = [];
  for (const row of sortByTime(indexed)) {
    const cmd = command(row, field);
    const rowIndex = row.__rowIndex as number;
    const check = checks[rowIndex];
    if (cmd === null || !check) continue;
    for (const r of check.hits) {
      const match: RiskyMatch = { TimeGenerated: row.TimeGenerated, command: cmd, rule: rules[r].source, rowIndex };
      if (check.cutFrom !== undefined) Object.assign(match, { truncated: true, commandLength: check.cutFrom });
      out.push(match);
    }
  }
  return out;
}

/** compat: msticpy's {TimeGenerated: command}, equal times collapsing (last wins), rule-major. */
export function riskyCommandsCompat(rows: Row[], rules: Rule[], field = 'Command', options: RiskyOptions = {}): CompatRisky {
  requireField(rows, field, 'risky commands');
  const checks = checksOf(rows, rules, field, options);
  const activity = new Map<string, { cmd: string; check: CommandCheck }>();
  rows.forEach((row, i) => {
    const cmd = command(row, field);
    const check = checks[i];
    if (cmd !== null && check) activity.set(String(row.TimeGenerated), { cmd, check });
  });
  const out: CompatRisky = {};
  for (let r = 0; r < rules.length; r++) for (const [time, { cmd, check }] of activity) if (check.hits.includes(r)) out[time] = cmd;
  return out;
}

function speedInput(rows: Row[], field: string): Array<{ row: Row; time: number }> {
  requireField(rows, field, 'command speed');
  if (rows.length > 0 && parseTime(rows[0].TimeGenerated) === null) throw new CommandFieldError(`command speed: TimeGenerated is not a datetime (${JSON.stringify(rows[0].TimeGenerated)})`);
  return rows.filter((r) => command(r, field) !== null).map((row) => ({ row, time: parseTime(row.TimeGenerated) ?? Number.NaN }));
}

/** Default: windows of events+1 commands (sorted by time) spanning less than `seconds`; rows = all of them. */
export function commandSpeed(rows: Row[], field: string, seconds: number, events: number): SpeedWindow[] {
  const actions = speedInput(sortByTime(rows), field);
  const out: SpeedWindow[] = [];
  for (let i = 0; i + events < actions.length; i++) {
    const delta = actions[i + events].time - actions[i].time;
    if (delta < seconds * 1e6) out.push({ index: i, rows: actions.slice(i, i + events + 1).map((a) => a.row), deltaSeconds: delta / 1e6 });
  }
  return out;
}

/** compat: msticpy's cmd_speed: no sort (unsorted input gives negative deltas, which qualify), descending index. */
export function commandSpeedCompat(rows: Row[], field: string, seconds: number, events: number): CompatSpeed {
  const actions = speedInput(rows, field);
  const out: CompatSpeed = [];
  for (let i = actions.length - (events + 1); i >= 0; i--) {
    const delta = actions[i + events].time - actions[i].time;
    if (delta < seconds * 1e6) out.push({ [i]: [actions.slice(i, i + events).map((a) => a.row), delta / 1e6] });
  }
  return out;
}

export interface SessionSpan {
  Start: unknown;
  End: unknown;
}

/**
 * msticpy's risky_sudo_sessions: session index → the risky command in it, or
 * "Suspicious event pattern" when a speed window's second row falls in it
 * (suspicious overrides risky). An End of null means the session is still open.
 */
export function riskySudoSessions(sessions: SessionSpan[], risky?: RiskyMatch[] | CompatRisky | null, suspicious?: SpeedWindow[] | CompatSpeed | null): Record<number, string> {
  if ((risky === undefined || risky === null) && (suspicious === undefined || suspicious === null)) throw new Error('At least one of risky_actions or suspicious_actions must be supplied');
  const spans = sessions.map((s) => ({ start: parseTime(s.Start) ?? Number.NaN, end: s.End === null ? Number.POSITIVE_INFINITY : (parseTime(s.End) ?? Number.NaN) }));
  const inside = (t: number) => spans.map((s, i) => (s.start <= t && t <= s.end ? i : -1)).filter((i) => i >= 0);
  const riskyOut: Record<number, string> = {};
  const riskyList: Array<[unknown, string]> = !risky ? [] : Array.isArray(risky) ? risky.map((m) => [m.TimeGenerated, m.command]) : Object.entries(risky);
  for (const [time, cmd] of riskyList) for (const i of inside(parseTime(time) ?? Number.NaN)) riskyOut[i] = cmd;
  const suspOut: Record<number, string> = {};
  for (const w of suspicious ?? []) {
    const rows: Row[] = 'rows' in w && Array.isArray((w as SpeedWindow).rows) ? (w as SpeedWindow).rows : (Object.values(w)[0] as [Row[], number])[0];
    const second = rows[1] ?? rows[0];
    if (!second) continue;
    for (const i of inside(parseTime(second.TimeGenerated) ?? Number.NaN)) suspOut[i] = 'Suspicious event pattern';
  }
  return { ...riskyOut, ...suspOut };
}
