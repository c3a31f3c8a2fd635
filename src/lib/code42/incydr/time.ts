// event.inserted carries µs (and in newer fixtures ns) digits; the cursor keeps the
// ms floor. That is how v1 insertion times are read too (../time.ts: 0–9 fraction
// digits, truncated to ms, the hour parsed once per hour), so the v2 names are the
// same functions.

export {
  /** Epoch ms (fraction truncated) of an ISO UTC time with 0–9 fractional digits; throws naming the value. */
  parseIsoMs as v2TimeMs,
  /** v2TimeMs for a stream of times that mostly share their hour. */
  IsoMsParser as V2TimeParser,
  /** `2020-01-01T00:00:00.200Z`: the ms ISO form the v2 filters take. */
  isoMs as isoMsOf,
} from '../time';
