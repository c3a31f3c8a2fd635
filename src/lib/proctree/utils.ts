// Navigation over a built tree (msticpy process_tree_utils): roots, parent,
// children, descendants, ancestors and siblings, by proc_key / parent_key / path.
import type { ProcessRow } from './build';

export class TreeIndex {
  private readonly byKey = new Map<string, ProcessRow>();
  private readonly bySource = new Map<string, ProcessRow>();
  private readonly kids = new Map<string, ProcessRow[]>();

  constructor(readonly processes: readonly ProcessRow[]) {
    for (const p of processes) {
      this.byKey.set(p.proc_key, p);
      this.bySource.set(p.source_index, p);
    }
    for (const p of processes) {
      if (p.parent_key === null) continue;
      const list = this.kids.get(p.parent_key) ?? [];
      list.push(p);
      this.kids.set(p.parent_key, list);
    }
  }

  roots(): ProcessRow[] {
    return this.processes.filter((p) => p.IsRoot);
  }

  get(procKey: string): ProcessRow | undefined {
    return this.byKey.get(procKey);
  }

  parent(p: ProcessRow): ProcessRow | undefined {
    return p.parent_key === null ? undefined : this.byKey.get(p.parent_key);
  }

  children(p: ProcessRow): ProcessRow[] {
    return this.kids.get(p.proc_key) ?? [];
  }

  /** The process and everything below it, by path. */
  descendants(p: ProcessRow, includeSelf = true): ProcessRow[] {
    const out: ProcessRow[] = includeSelf ? [p] : [];
    const stack = [...this.children(p)].reverse();
    while (stack.length) {
      const q = stack.pop() as ProcessRow;
      out.push(q);
      stack.push(...[...this.children(q)].reverse());
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The processes on the path from the root down to `p`. */
  ancestors(p: ProcessRow, includeSelf = true): ProcessRow[] {
    const parts = p.path.split('/');
    if (!includeSelf) parts.pop();
    return parts.map((s) => this.bySource.get(s)).filter((x): x is ProcessRow => !!x);
  }

  siblings(p: ProcessRow, includeSelf = true): ProcessRow[] {
    const parent = this.parent(p);
    const all = parent ? this.children(parent) : this.roots();
    return includeSelf ? all : all.filter((x) => x !== p);
  }

  depth(): number {
    let max = 0;
    for (const p of this.processes) max = Math.max(max, p.path.split('/').length);
    return max;
  }
}
