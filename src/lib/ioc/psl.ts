// The Public Suffix List check msticpy does with tldextract: a name counts only
// when its suffix is explicitly in the PSL's ICANN section. tldts applies the
// implicit `*` rule to unknown TLDs (so `like.iandom` parses), but reports
// isIcann false for them, which is what rejects them here.
import { parse } from 'tldts';

// Keyed by the name as found (most names repeat in logs), so a hit costs one lookup.
const cache = new Map<string, boolean>();
const CACHE_MAX = 50_000;

export function hasIcannSuffix(name: string): boolean {
  let known = cache.get(name);
  if (known === undefined) {
    const host = (name.includes('[') ? name.replace(/\[\.\]/g, '.') : name).toLowerCase();
    const info = parse(host, { allowPrivateDomains: false, extractHostname: false, validateHostname: false });
    known = info.isIcann === true && !!info.publicSuffix;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(name, known);
  }
  return known;
}
