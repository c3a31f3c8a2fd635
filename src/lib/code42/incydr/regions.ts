// Incydr base URLs (contract incydr-v2 §1): `https://api.<geo>.code42.com` for a
// console at `console.<geo>.code42.com`.

export const INCYDR_REGIONS = ['us', 'us2', 'ie', 'gov', 'us7', 'uk', 'au', 'ca', 'de', 'za'] as const;
export type IncydrRegion = (typeof INCYDR_REGIONS)[number];

/** The API base URL of a region. */
export function regionUrl(region: IncydrRegion): string {
  return `https://api.${region}.code42.com`;
}

/**
 * The base URL to use: the region's when one is set (a wrong one is an error naming
 * the field and the valid regions), else the typed `url`.
 */
export function incydrBaseUrl(region: string, url: string): string {
  const r = region.trim().toLowerCase();
  if (r === '') {
    if (!url.trim()) throw new Error('url: set a base URL or pick a region for the Incydr API');
    return url.trim();
  }
  if (!(INCYDR_REGIONS as readonly string[]).includes(r)) {
    throw new Error(`region: ${JSON.stringify(region)} is not an Incydr region; use one of ${INCYDR_REGIONS.join(', ')} (https://api.<region>.code42.com) or leave it empty and type the URL`);
  }
  return regionUrl(r as IncydrRegion);
}
