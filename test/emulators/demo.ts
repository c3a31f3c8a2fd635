// How the Code42 emulators (v1 and Incydr) serve the demo sandbox: seeded data, then
// new data every 2 s for as long as the demo runs, with the request log bounded.
import type { Emulator } from './framework';

/** Listens on `port` and calls `tick(n)` (n = 1, 2, …) every 2 s until closed. */
export async function serveDemo(emu: Emulator, port: number, tick: (n: number) => void): Promise<{ url: string; close(): Promise<void> }> {
  let n = 0;
  const timer = setInterval(() => {
    tick(++n);
    // Bound the demo's memory.
    if (emu.log.length > 1000) emu.log.splice(0, emu.log.length - 1000);
  }, 2000);
  timer.unref();
  const url = await emu.listen(port);
  return {
    url,
    async close() {
      clearInterval(timer);
      await emu.close();
    },
  };
}
