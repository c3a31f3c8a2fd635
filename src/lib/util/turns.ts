// Long work cut into event-loop turns: no synchronous stretch may block
// Node-RED for more than 100 ms (issue 13), so loops over big inputs yield
// (setImmediate) once a turn has run for its budget.

/** How long one turn may run before yielding. */
export const TURN_BUDGET_MS = 20;

/** Resolves on the next turn of the event loop, after pending I/O. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock for a loop: `due()` says when the current turn has used its budget. */
export class TurnClock {
  private start = performance.now();
  constructor(private readonly budgetMs = TURN_BUDGET_MS) {}

  due(): boolean {
    return performance.now() - this.start >= this.budgetMs;
  }

  /** Yields, then starts a new turn. */
  async yield(): Promise<void> {
    await nextTurn();
    this.start = performance.now();
  }
}

/** `fn` over every item, in order, yielding between turns. */
export async function inTurns<T>(items: readonly T[], fn: (item: T, index: number) => void, budgetMs = TURN_BUDGET_MS): Promise<void> {
  const clock = new TurnClock(budgetMs);
  for (let i = 0; i < items.length; i++) {
    fn(items[i], i);
    if (clock.due()) await clock.yield();
  }
}
