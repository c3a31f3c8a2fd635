// Input handlers that work in turns (yielding to the event loop on big input)
// must still handle messages one after another: without this, a small message
// arriving while a big one waits for its next turn would overtake it.
import type { NodeMessage, SendFn } from './red';

type Handler = (msg: NodeMessage, send: SendFn) => Promise<void> | void;

/** `handler`, run for one message at a time, in arrival order (for onInput). */
export function inOrder(handler: Handler): Handler {
  let previous: Promise<void> = Promise.resolve();
  return (msg, send) => {
    const run = previous.then(() => handler(msg, send));
    previous = run.catch(() => undefined);
    return run;
  };
}
