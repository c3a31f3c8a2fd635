// The emulators' `prefetch` (benches) must never change what a search answers. This
// pages one token-paged search on a plain emulator and on one with prefetch side by
// side, asserting each page byte-identical; after page 2 `between()` changes the
// events of both, so the page written ahead must be dropped, not served stale.
import assert from 'node:assert/strict';

export type Side = 'plain' | 'ahead';

/** Pages until the last; returns how many there were. */
export async function pageSideBySide(search: (side: Side, pgToken: string) => Promise<string>, between: () => void): Promise<number> {
  let pgToken = '';
  let pages = 0;
  for (;;) {
    const a = await search('plain', pgToken);
    // Give the prefetch time to finish (and, on the second page, to be half done).
    await new Promise((r) => setTimeout(r, pages === 1 ? 0 : 50));
    const b = await search('ahead', pgToken);
    assert.equal(b, a, `page ${pages + 1}`);
    pages++;
    if (pages === 2) between();
    const next = (JSON.parse(a) as { nextPgToken: string | null }).nextPgToken;
    if (!next) return pages;
    pgToken = next;
  }
}
