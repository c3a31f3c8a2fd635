// Logon/sudo sessions from PAM "session opened/closed" lines.
// - Default (`SessionTracker`): each close pairs with the most recent unmatched
//   open at or before it for the same target user, and the same ProcessID and
//   Computer where both rows carry them; overlapping sessions of different
//   users stay apart. Streaming, with a timeout for sessions that never close.
// - compat (`clusterSessionsCompat`): msticpy's cluster_syslog_logons_df,
//   greedy pairing on a batch, quirks and exception included.
import { SESSION } from './patterns';
import { wordsInOrderOnOneLine } from './scan';
import { formatTime, parseTime } from './time';

type Row = Record<string, unknown>;

export interface Alert {
  time: number;
  computer: string;
  alert: Row;
}

export interface Session {
  User: string;
  Start: string;
  End: string | null;
  TargetUser: string;
  ProcessID: unknown;
  Computer: string;
  /** The session runs as root (target or user). */
  Root: boolean;
  /** Events seen for the session: its open and close plus events of the same process (or user). */
  Events: number;
  /** Failed and successful logon/sudo attempts of the user since their previous session. */
  Failures: number;
  Successes: number;
  /** Failures per success (the failure count when there was no success). */
  FailedToSuccessRatio: number;
  Alerts: Row[];
  /** Closed by the timeout (or the end of a batch) rather than a close line. */
  TimedOut: boolean;
}

export class NoSessionsError extends Error {}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const message = (row: Row): string => (typeof row.SyslogMessage === 'string' ? row.SyslogMessage : '');

/** The user an event is about, for the failure/success counters. */
export function subjectUser(row: Row): string {
  const direct = str(row.User) || str(row.Sudoer);
  if (direct) return direct;
  const m = /for (?:invalid user )?([A-Za-z0-9._-]+) from /.exec(message(row));
  return m ? m[1] : '';
}

interface OpenSession {
  user: string;
  target: string;
  pid: string;
  computer: string;
  start: number;
  receivedAt: number;
  events: number;
}

export interface TrackerOptions {
  /** Seconds after which an unclosed session is emitted with End null; 0 = never. */
  timeout: number;
  /** Seconds around a session in which alerts are attached (the notebook uses ±5 s). */
  alertWindow?: number;
  /** Most open sessions kept; the oldest is emitted as timed out beyond it. */
  maxOpen?: number;
}

export class SessionTracker {
  private open: OpenSession[] = [];
  private counters = new Map<string, { failures: number; successes: number }>();
  private alerts: Alert[] = [];
  /** Recent events outside any session: sudo logs its COMMAND line just before the session opens. */
  private recent: Array<{ pid: string; computer: string; time: number }> = [];
  private readonly alertWindowUs: number;
  private readonly maxOpen: number;

  constructor(private readonly options: TrackerOptions) {
    this.alertWindowUs = (options.alertWindow ?? 5) * 1_000_000;
    this.maxOpen = options.maxOpen ?? 10_000;
  }

  get openCount(): number {
    return this.open.length;
  }

  /** Feeds one classified logon/sudo row; returns the sessions it closes. */
  push(row: Row, nowMs = Date.now()): Session[] {
    const time = parseTime(row.TimeGenerated) ?? nowMs * 1000;
    const text = message(row);
    this.count(row);
    const pid = str(row.ProcessID);
    const computer = str(row.Computer);
    const out: Session[] = [];
    if (pamSessionOpened(text)) {
      let events = 1;
      if (pid) {
        const before = this.recent.length;
        this.recent = this.recent.filter((e) => !(e.pid === pid && e.computer === computer && e.time >= time - 5_000_000 && e.time <= time));
        events += before - this.recent.length;
      }
      this.open.push({ user: str(row.User) || str(row.Sudoer) || 'Unknown', target: targetUser(text), pid, computer, start: time, receivedAt: nowMs, events });
      if (this.open.length > this.maxOpen) out.push(this.finish(this.open.shift()!, null, true));
      return out;
    }
    if (pamSessionClosed(text)) {
      const target = targetUser(text);
      for (let i = this.open.length - 1; i >= 0; i--) {
        const s = this.open[i];
        if (s.target !== target || s.start > time) continue;
        if (pid && s.pid && pid !== s.pid) continue;
        if (computer && s.computer && computer !== s.computer) continue;
        this.open.splice(i, 1);
        s.events++;
        out.push(this.finish(s, time, false));
        break;
      }
      return out; // a stray close is ignored
    }
    const subject = subjectUser(row);
    let attributed = false;
    for (const s of this.open) {
      if (computer && s.computer && computer !== s.computer) continue;
      if (s.pid && pid ? s.pid === pid : subject !== '' && (subject === s.user || subject === s.target)) {
        s.events++;
        attributed = true;
      }
    }
    if (!attributed && pid) {
      this.recent.push({ pid, computer, time });
      if (this.recent.length > 100) this.recent.shift();
    }
    return out;
  }

  /** Remembers an alert; sessions emitted later attach those within the alert window. */
  pushAlert(alert: Row, nowMs = Date.now()): void {
    const time = parseTime(alert.TimeGenerated ?? alert.StartTimeUtc ?? alert.StartTime ?? alert.TimeGeneratedUtc) ?? nowMs * 1000;
    this.alerts.push({ time, computer: str(alert.Computer ?? alert.CompromisedEntity), alert });
    if (this.alerts.length > 10_000) this.alerts.splice(0, this.alerts.length - 10_000);
  }

  /** Emits (End null, TimedOut) the sessions open for longer than the timeout. */
  sweep(nowMs = Date.now()): Session[] {
    if (!(this.options.timeout > 0)) return [];
    const limit = nowMs - this.options.timeout * 1000;
    const expired = this.open.filter((s) => s.receivedAt <= limit);
    if (expired.length === 0) return [];
    this.open = this.open.filter((s) => s.receivedAt > limit);
    return expired.map((s) => this.finish(s, null, true));
  }

  /** Emits every open session (End null): the end of a batch. */
  flush(): Session[] {
    const all = this.open;
    this.open = [];
    return all.map((s) => this.finish(s, null, true));
  }

  private count(row: Row): void {
    const result = str(row.LogonResult) || str(row.SudoResult);
    if (!result || result === 'Unknown') return;
    const user = subjectUser(row);
    if (!user) return;
    const c = this.counters.get(user) ?? { failures: 0, successes: 0 };
    if (result === 'Failure') c.failures++;
    else c.successes++;
    this.counters.set(user, c);
    if (this.counters.size > 100_000) this.counters.delete(this.counters.keys().next().value as string);
  }

  private finish(s: OpenSession, end: number | null, timedOut: boolean): Session {
    const c = this.counters.get(s.user) ?? { failures: 0, successes: 0 };
    this.counters.delete(s.user);
    const from = s.start - this.alertWindowUs;
    const to = end === null ? Number.POSITIVE_INFINITY : end + this.alertWindowUs;
    const alerts = this.alerts.filter((a) => a.time >= from && a.time <= to && (!a.computer || !s.computer || a.computer === s.computer)).map((a) => a.alert);
    return {
      User: s.user,
      Start: formatTime(s.start),
      End: end === null ? null : formatTime(end),
      TargetUser: s.target,
      ProcessID: s.pid === '' ? null : /^\d+$/.test(s.pid) ? Number(s.pid) : s.pid,
      Computer: s.computer,
      Root: s.target === 'root' || s.user === 'root',
      Events: s.events,
      Failures: c.failures,
      Successes: c.successes,
      FailedToSuccessRatio: c.successes ? c.failures / c.successes : c.failures,
      Alerts: alerts,
      TimedOut: timedOut,
    };
  }
}

// SESSION.opened / SESSION.closed (`pam_unix.+session opened`), in linear time.
const pamSessionOpened = (text: string) => wordsInOrderOnOneLine(text, 'pam_unix', 'session opened');
const pamSessionClosed = (text: string) => wordsInOrderOnOneLine(text, 'pam_unix', 'session closed');

function targetUser(text: string): string {
  const m = SESSION.targetUser.exec(text);
  return m ? m[1] : '';
}

/** Default mode on a batch: events sorted by time (stable), unclosed sessions end the batch with End null. */
export function pairSessions(rows: Row[], alerts: Row[] = []): Session[] {
  const tracker = new SessionTracker({ timeout: 0 });
  for (const a of alerts) tracker.pushAlert(a);
  const sessions = [...sortByTime(rows).map((r) => tracker.push(r)).flat(), ...tracker.flush()];
  return sessions.sort((a, b) => (parseTime(a.Start) ?? 0) - (parseTime(b.Start) ?? 0));
}

export interface CompatSession {
  User: unknown;
  Start: string;
  End: string;
}

/** msticpy's cluster_syslog_logons_df, exactly (§1.3 of the contract). */
export function clusterSessionsCompat(rows: Row[]): CompatSession[] {
  const timed = rows.map((row) => ({ row, time: parseTime(row.TimeGenerated) }));
  const opens = sortTimed(timed.filter((e) => pamSessionOpened(message(e.row))));
  const closes = sortTimed(timed.filter((e) => pamSessionClosed(message(e.row))));
  if (opens.length === 0 || closes.length === 0) throw new NoSessionsError('There are no logon sessions in the supplied data set');
  const hasUser = rows.some((r) => 'User' in r);
  const hasSudoer = rows.some((r) => 'Sudoer' in r);
  let lastEnd = Math.max(...timed.map((e) => e.time ?? Number.NEGATIVE_INFINITY));
  const out: CompatSession[] = [];
  let i = 0;
  let j = 0;
  while (i < opens.length && j < closes.length) {
    const start = opens[i].time as number;
    const end = closes[j].time as number;
    const user = hasUser ? opens[i].row.User : hasSudoer ? opens[i].row.Sudoer : 'Unknown';
    if (start <= lastEnd && i !== 0) {
      i++;
      continue;
    }
    if (end < start) {
      j++;
      continue;
    }
    out.push({ User: user ?? null, Start: formatTime(start), End: formatTime(end) });
    lastEnd = end;
    i++;
    j++;
  }
  return out;
}

function sortTimed<T extends { time: number | null }>(items: T[]): T[] {
  // Rows without a parsable time cannot be placed: they are left out, as pandas' NaT would misplace them.
  return items.filter((e) => e.time !== null).sort((a, b) => (a.time as number) - (b.time as number));
}

/** A stable sort of rows by TimeGenerated; rows without a time keep their place at the end. */
export function sortByTime<T extends Row>(rows: T[]): T[] {
  return rows
    .map((row, index) => ({ row, index, time: parseTime(row.TimeGenerated) }))
    .sort((a, b) => (a.time ?? Number.POSITIVE_INFINITY) - (b.time ?? Number.POSITIVE_INFINITY) || a.index - b.index)
    .map((e) => e.row);
}
