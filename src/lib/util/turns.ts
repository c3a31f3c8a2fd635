// Long work cut into event-loop turns: no synchronous stretch may block
// Node-RED for more than 100 ms (issue 13), so loops over big inputs yield
// (setImmediate) once a turn has run for its budget.

/** How long one turn may run before yielding. */
export const TURN_BUDGET_MS = 20;

/** A clock for a loop: `due()` says when the current turn has used its budget. */
export class TurnClock {
  private start = performance.now();
  constructor(private readonly budgetMs = TURN_BUDGET_MS) {}

  due(): boolean {
    return performance.now() - this.start >= this.budgetMs;
  }

  /** Yields, then starts a new turn. */
  async yield(): Promise<void> {
    // setImmediate: after pending I/O, so other flows get their turn.
    await new Promise((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }
}
