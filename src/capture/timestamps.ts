/**
 * Timestamp arithmetic without BigInt: capture timestamps are 64-bit counts of units
 * (microseconds, nanoseconds, 2^-n seconds) that exceed 2^53 at nanosecond resolution.
 */

/** Result slot for splitTimestamp, reused by the caller to stay allocation-free. */
export interface SplitTime {
  sec: number;
  nsec: number;
}

const TWO_32 = 4294967296;

/**
 * Splits the unsigned 64-bit count `hi * 2^32 + lo` of `unitsPerSecond` units into whole seconds
 * and nanoseconds. Exact for every resolution up to 10^13 units per second.
 */
export function splitTimestamp(hi: number, lo: number, unitsPerSecond: number, out: SplitTime): void {
  let sec: number;
  let rem: number;
  if (hi < 0x200000) {
    const value = hi * TWO_32 + lo; // below 2^53: exact
    sec = Math.floor(value / unitsPerSecond);
    rem = value - sec * unitsPerSecond;
    if (rem < 0) {
      sec -= 1;
      rem += unitsPerSecond;
    } else if (rem >= unitsPerSecond) {
      sec += 1;
      rem -= unitsPerSecond;
    }
  } else {
    // Long division over bytes: every partial value stays below unitsPerSecond * 256 < 2^53.
    sec = 0;
    rem = 0;
    for (let shift = 24; shift >= 0; shift -= 8) {
      const cur = rem * 256 + ((hi >>> shift) & 0xff);
      const q = Math.floor(cur / unitsPerSecond);
      rem = cur - q * unitsPerSecond;
      sec = sec * 256 + q;
    }
    for (let shift = 24; shift >= 0; shift -= 8) {
      const cur = rem * 256 + ((lo >>> shift) & 0xff);
      const q = Math.floor(cur / unitsPerSecond);
      rem = cur - q * unitsPerSecond;
      sec = sec * 256 + q;
    }
  }
  out.sec = sec;
  out.nsec = unitsToNanoseconds(rem, unitsPerSecond);
}

/** Converts a count of units below one second into whole nanoseconds (truncating finer units). */
export function unitsToNanoseconds(units: number, unitsPerSecond: number): number {
  if (unitsPerSecond === 1e9) return units;
  if (unitsPerSecond === 1e6) return units * 1000;
  if (unitsPerSecond < 1e9 && 1e9 % unitsPerSecond === 0) return units * (1e9 / unitsPerSecond);
  return Math.min(999_999_999, Math.floor((units / unitsPerSecond) * 1e9));
}

/** RFC 3339 UTC with nanoseconds: `2026-11-25T03:11:52.123456789Z`. */
export function formatTimestamp(sec: number, nsec: number): string {
  const ms = sec * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return `${sec}.${String(nsec).padStart(9, '0')}`;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 19)}.${String(nsec).padStart(9, '0')}Z`;
}


/**
 * Nanoseconds since the first timed frame of a capture, as a float (exact for about 104 days).
 * Frames without a time (pcapng simple packet blocks) get the previous frame's.
 */
export class RelativeClock {
  private firstSec = NaN;
  private firstNsec = 0;
  private lastNs = 0;

  at(sec: number, nsec: number): number {
    if (Number.isNaN(sec)) return this.lastNs;
    if (Number.isNaN(this.firstSec)) {
      this.firstSec = sec;
      this.firstNsec = nsec;
    }
    this.lastNs = (sec - this.firstSec) * 1e9 + (nsec - this.firstNsec);
    return this.lastNs;
  }

  get latestNs(): number {
    return this.lastNs;
  }
}
