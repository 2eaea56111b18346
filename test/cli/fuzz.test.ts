import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, PUBLIC_CAPTURES } from '../capture/helpers.js';
import { buildZip } from '../capture/zip-builder.js';
import { ROOT, runInProcess } from './run.js';

/**
 * Mutation fuzzing through the CLI entry, in process: a fixed, seeded series of mutations of the
 * committed captures (bit flips, lying length fields, cuts, deleted and repeated ranges, splices,
 * garbage), some wrapped in gzip or zip and then damaged again, run as `analyze`, `info` or
 * `decode`. Every run must end with exit 0 or 2, at most one line on stderr, no stack trace and no
 * internal error, within a time bound, with memory bounded by the analysis worker's heap cap.
 *
 * NETCASE_FUZZ_RUNS and NETCASE_FUZZ_SEED run a longer or different series locally; a failure
 * names its run number, which with the seed reproduces it.
 */
const RUNS = Number(process.env.NETCASE_FUZZ_RUNS || 5000);
const SEED = Number(process.env.NETCASE_FUZZ_SEED || 18);
const RUN_TIMEOUT_MS = 20_000;
/** The analysis worker's default heap cap (NETCASE_ANALYSIS_HEAP_MB). */
const HEAP_CAP_MB = 1024;

const tmp = mkdtempSync(join(tmpdir(), 'netcase-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Three pages of the case library, so findings still meet case matching: loading all of it costs
 * about 200 ms per `analyze`, which would leave a minute for a few hundred runs instead of thousands.
 */
function smallCaseLibrary(): string {
  const dir = join(tmp, 'cases');
  mkdirSync(dir);
  const pages = readdirSync(join(ROOT, 'case-library')).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
  for (const page of pages.slice(0, 3)) copyFileSync(join(ROOT, 'case-library', page), join(dir, page));
  return dir;
}

/** mulberry32: a small seeded PRNG, so every run of the series is the same. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The committed captures, plus a fixed sample of tcpdump's (other link types, protocols, damage). */
function corpus(): Buffer[] {
  const own = readdirSync(FIXTURES).map((f) => readFileSync(join(FIXTURES, f)));
  const publicFiles = readdirSync(PUBLIC_CAPTURES).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
  const sample = publicFiles.filter((_, i) => i % 20 === 0).map((f) => readFileSync(join(PUBLIC_CAPTURES, f)));
  return [...own, ...sample.filter((b) => b.length < 256 * 1024)];
}

const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 262_145, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

type Mutator = (b: Buffer, rand: () => number, other: Buffer) => Buffer;
const pick = <T,>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
/** A random offset; mostly past the first 64 bytes, so the file header survives and the damage lands in the records. */
const at = (rand: () => number, b: Buffer) => {
  const from = b.length > 128 && rand() < 0.7 ? 64 : 0;
  return from + Math.floor(rand() * Math.max(1, b.length - from));
};

const MUTATORS: Record<string, Mutator> = {
  flipBits: (b, rand) => {
    const c = Buffer.from(b);
    for (let n = 1 + Math.floor(rand() * 8); n > 0 && c.length > 0; n--) c[at(rand, c)] ^= 1 << Math.floor(rand() * 8);
    return c;
  },
  lyingU32: (b, rand) => {
    if (b.length < 4) return b;
    const c = Buffer.from(b);
    const v = pick(rand, INTERESTING_U32);
    const o = Math.floor(rand() * (c.length - 3));
    if (rand() < 0.5) c.writeUInt32LE(v >>> 0, o);
    else c.writeUInt32BE(v >>> 0, o);
    return c;
  },
  cut: (b, rand) => b.subarray(0, at(rand, b)),
  deleteRange: (b, rand) => {
    const s = at(rand, b);
    return Buffer.concat([b.subarray(0, s), b.subarray(s + 1 + Math.floor(rand() * 512))]);
  },
  repeatRange: (b, rand) => {
    const s = at(rand, b);
    const piece = b.subarray(s, s + 1 + Math.floor(rand() * 2048));
    const times = 1 + Math.floor(rand() * 20);
    return Buffer.concat([b.subarray(0, s), ...Array.from({ length: times }, () => piece), b.subarray(s)]);
  },
  splice: (b, rand, other) => Buffer.concat([b.subarray(0, at(rand, b)), other.subarray(at(rand, other))]),
  garbage: (b, rand) => {
    const g = Buffer.alloc(1 + Math.floor(rand() * 300));
    for (let i = 0; i < g.length; i++) g[i] = Math.floor(rand() * 256);
    const s = at(rand, b);
    return rand() < 0.5 ? Buffer.concat([b, g]) : Buffer.concat([b.subarray(0, s), g, b.subarray(s)]);
  },
};

function mutate(b: Buffer, rand: () => number, inputs: Buffer[], trail: string[]): Buffer {
  let out = b;
  for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
    const name = pick(rand, Object.keys(MUTATORS));
    trail.push(name);
    out = MUTATORS[name](out, rand, pick(rand, inputs));
  }
  return out;
}

/** One fuzz case: the bytes to write and the command to run on them. */
function makeCase(rand: () => number, inputs: Buffer[]): { bytes: Buffer; args: (path: string) => string[]; trail: string[] } {
  const trail: string[] = [];
  let bytes = mutate(pick(rand, inputs), rand, inputs, trail);
  const wrap = rand();
  if (wrap < 0.15) {
    trail.push('gzip');
    bytes = gzipSync(bytes);
  } else if (wrap < 0.3) {
    trail.push('zip');
    bytes = buildZip([{ name: 'a.pcap', data: bytes, deflate: rand() < 0.7 }, ...(rand() < 0.3 ? [{ name: 'b.pcap', data: pick(rand, inputs), deflate: true }] : [])]);
  }
  if (wrap < 0.3 && rand() < 0.6) bytes = mutate(bytes, rand, inputs, trail); // damage the container itself
  const command = rand();
  const args = (path: string) => (command < 0.7 ? ['analyze', path, '--json'] : command < 0.85 ? ['info', path, '--json'] : ['decode', path, '--json', '--limit', '300']);
  return { bytes, args, trail };
}

describe('mutation fuzzing through runCli', () => {
  it(`${RUNS} seeded mutations of the committed captures: exit 0 or 2, at most one stderr line, no stack trace, bounded time and memory`, async () => {
    const rand = prng(SEED);
    const inputs = corpus();
    const env = { NETCASE_MAX_ANALYSIS_S: '15', NETCASE_CASE_LIBRARY: smallCaseLibrary() };
    const failures: string[] = [];
    const tally = { executions: 0, exit0: 0, exit2: 0, crashes: 0, hangs: 0, peakHeapMb: 0, peakRssMb: 0, slowestMs: 0 };
    const refusals = new Map<string, number>();
    const started = Date.now();
    for (let run = 0; run < RUNS; run++) {
      const { bytes, args, trail } = makeCase(rand, inputs);
      const path = join(tmp, `case-${run % 8}`);
      writeFileSync(path, bytes);
      const t0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<'hang'>((done) => (timer = setTimeout(() => done('hang'), RUN_TIMEOUT_MS)));
      const r = await Promise.race([runInProcess(args(path), env), hang]);
      clearTimeout(timer);
      tally.executions++;
      tally.slowestMs = Math.max(tally.slowestMs, Date.now() - t0);
      const label = `run ${run} (seed ${SEED}; ${args('FILE').join(' ')}; ${trail.join('+')}; ${bytes.length} bytes)`;
      if (r === 'hang') {
        tally.hangs++;
        failures.push(`${label}: no answer within ${RUN_TIMEOUT_MS} ms`);
        continue;
      }
      const reason = r.stderr.replace(/^netcase: .*?: (?=[a-z])/, '').replace(/\d+/g, 'N').slice(0, 48);
      if (reason !== '') refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
      if (r.code === 0) tally.exit0++;
      else if (r.code === 2) tally.exit2++;
      else tally.crashes++;
      const lines = r.stderr === '' ? [] : r.stderr.trimEnd().split('\n');
      if ((r.code !== 0 && r.code !== 2) || lines.length > 1 || /internal error|\n\s+at |Error:/.test(r.stderr) || /\n\s+at .*\(.*:\d+:\d+\)/.test(r.stdout)) {
        failures.push(`${label}: exit ${r.code}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`);
      }
      if (run % 25 === 0) {
        const m = process.memoryUsage();
        tally.peakHeapMb = Math.max(tally.peakHeapMb, Math.round(m.heapUsed / 1048576));
        tally.peakRssMb = Math.max(tally.peakRssMb, Math.round(m.rss / 1048576));
      }
    }
    const durationS = Math.round((Date.now() - started) / 100) / 10;
    console.log(`fuzz: ${JSON.stringify({ seed: SEED, ...tally, durationS })}`);
    console.log(`fuzz refusals (exit 2) by reason: ${JSON.stringify([...refusals].sort((a, b) => b[1] - a[1]).slice(0, 12))}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(tally.executions).toBe(RUNS);
    expect(tally.peakHeapMb).toBeLessThan(HEAP_CAP_MB);
  }, 600_000);
});
