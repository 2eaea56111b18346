// Small deterministic PRNG (mulberry32) with the helpers the traffic model needs.
// Same seed -> same sequence, on every platform: everything is 32-bit integer math.

export function createRng(seed) {
  let state = hashSeed(seed);

  function nextUint32() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  const rng = {
    uint32: nextUint32,
    /** Uniform float in [0, 1). */
    float: () => nextUint32() / 4294967296,
    /** Uniform integer in [0, n). */
    int: (n) => Math.floor(rng.float() * n),
    /** Uniform integer in [min, max] (inclusive). */
    range: (min, max) => min + rng.int(max - min + 1),
    chance: (p) => rng.float() < p,
    pick: (items) => items[rng.int(items.length)],
    /** Integer spread evenly over orders of magnitude between min and max. */
    logUniform: (min, max) => Math.round(Math.exp(Math.log(min) + rng.float() * (Math.log(max) - Math.log(min)))),
    /** Picks a key of { key: weight } with probability proportional to its weight. */
    weighted: (weights) => pickWeighted(rng, weights),
    fillBytes: (buf) => fillBytes(rng, buf),
    /** An independent generator derived from this one (keeps sub-streams stable). */
    fork: () => createRng(nextUint32()),
  };
  return rng;
}

function hashSeed(seed) {
  const text = String(seed);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function pickWeighted(rng, weights) {
  const entries = Object.entries(weights);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let roll = rng.float() * total;
  for (const [key, weight] of entries) {
    roll -= weight;
    if (roll < 0) return key;
  }
  return entries[entries.length - 1][0];
}

function fillBytes(rng, buf) {
  for (let i = 0; i < buf.length; i += 4) {
    const word = rng.uint32();
    for (let b = 0; b < 4 && i + b < buf.length; b++) buf[i + b] = (word >>> (8 * b)) & 0xff;
  }
  return buf;
}
