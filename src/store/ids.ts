import { randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so an id read aloud or retyped survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i % bytes.length] & 31];
  return out;
}

/** An investigation id people type: NC- and six characters (about a billion values; collisions retried). */
export function newInvestigationId(): string {
  return `NC-${base32(randomBytes(6), 6)}`;
}

/** Investigation ids are typed by people: accept lower case and the look-alike letters. */
export function normalizeInvestigationId(text: string): string {
  return text.trim().toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0').replace(/^NC(?!-)/, 'NC-');
}

let lastMs = -1;
let lastRandom: number[] = [];

/**
 * A row id that sorts by creation time: 10 characters of milliseconds, then 10 random ones. Ids
 * made by one process in the same millisecond (or with a clock that stands still) keep their
 * order: the random part counts up.
 */
export function newRowId(now: Date): string {
  let ms = now.getTime();
  if (ms <= lastMs) {
    ms = lastMs;
    let i = lastRandom.length - 1;
    while (i >= 0 && lastRandom[i] === 31) lastRandom[i--] = 0;
    if (i >= 0) lastRandom[i]++;
  } else {
    lastMs = ms;
    lastRandom = [...randomBytes(10)].map((b) => b & 15);
  }
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  return time + lastRandom.map((d) => ALPHABET[d]).join('');
}
