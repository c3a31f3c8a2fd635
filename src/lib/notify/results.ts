// msg.notify shapes (S11).
import type { NotifyType } from './types';

export interface TargetResult {
  target: string;
  service: string;
  tags: string[];
  ok: boolean;
  status?: number;
  attempts: number;
  parts: number;
  error?: string;
  suppressed?: boolean;
}

export interface NotifyResult {
  ok: boolean;
  matched: number;
  sent: number;
  failed: number;
  suppressed: number;
  results: TargetResult[];
}

const SEVERITY: Record<NotifyType, number> = { info: 0, success: 1, warning: 2, failure: 3 };

export function mostSevere(a: NotifyType, b: NotifyType): NotifyType {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

export function summarize(results: TargetResult[]): NotifyResult {
  const suppressed = results.filter((r) => r.suppressed).length;
  const failed = results.filter((r) => !r.ok).length;
  return { ok: results.length > 0 && failed === 0, matched: results.length, sent: results.length - failed - suppressed, failed, suppressed, results };
}

/** "1 of 3 targets failed: discord://1...8/A...9 (404 Unknown Webhook)"; undefined when none failed. */
export function failureMessage(result: NotifyResult): string | undefined {
  const failed = result.results.filter((r) => !r.ok);
  if (!failed.length) return undefined;
  return `${failed.length} of ${result.matched} target${result.matched === 1 ? '' : 's'} failed: ${failed.map((r) => `${r.target} (${r.error ?? 'failed'})`).join(', ')}`;
}
