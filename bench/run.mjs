#!/usr/bin/env node
// netcase benchmark (`npm run bench`, which builds first). See bench/README.md.
//
//   node bench/run.mjs [--sizes quarter,full] [--runs 3]
//
// Generates (once, cached) synthetic captures, runs the netcase commands under test and the
// reference tools on them as whole processes, and reports wall time, throughput and peak RSS.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { cpus, homedir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatFixed, formatInteger, megabytes, renderTable } from './lib/format.mjs';
import { findOnPath, hasTimeCommand, measureBest } from './lib/measure.mjs';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const NETCASE_BIN = join(REPO_ROOT, 'bin', 'netcase.js');
const DECODE_COUNT = join(REPO_ROOT, 'bench', 'decode-count.mjs');
const GENERATOR = join(REPO_ROOT, 'bench', 'generate-capture.mjs');
const SNAPLEN_CONVERTER = join(REPO_ROOT, 'bench', 'to-snaplen-pcapng.mjs');

const SEED = 'netcase';
// Cached captures are reused only while these sources are unchanged (their hash is in each sidecar).
const GENERATOR_SOURCES = [
  'generate-capture.mjs', 'to-snaplen-pcapng.mjs', 'lib/prng.mjs', 'lib/packets.mjs', 'lib/payloads.mjs',
  'lib/traffic.mjs', 'lib/capture-writers.mjs',
].map((file) => join(REPO_ROOT, 'bench', file));
const GENERATOR_FINGERPRINT = fingerprint(GENERATOR_SOURCES);
const SNAPLEN = 128;
const MIN_FREE_BYTES = 3e9;
const DEFAULT_RUNS = 3;
const SIZES = [
  { name: 'quarter', frames: 275_000 },
  { name: 'full', frames: 1_100_000 },
];
/** The goals of each stage: throughput on the largest snaplen-128 file, peak RSS at every size. */
const GOALS = [
  { kind: 'throughput', command: 'netcase info --json', minFramesPerSecond: 5_000_000 },
  { kind: 'rss', commands: ['netcase info --json', 'netcase info'], maxBytes: 80e6 },
  { kind: 'throughput', command: 'decode, in-process count', minFramesPerSecond: 3_000_000 },
  { kind: 'rss', commands: ['decode, in-process count', 'netcase decode --json'], maxBytes: 100e6, maxSpreadBytes: 10e6 },
  { kind: 'ratio', command: 'netcase analyze --json', reference: 'tshark expert', minRatio: 10 },
  { kind: 'rss', commands: ['netcase analyze --json'], maxBytes: 150e6, maxSpreadBytes: 15e6 },
];

// Commands under test. argv(file) builds the command line; countFrames(stdout), when present,
// reads the frame count from the output (stdout is then captured instead of sent to /dev/null);
// compareWith names the reference command whose timing goes next to it in the table.
const COMMANDS_UNDER_TEST = [
  {
    name: 'netcase info --json',
    argv: (file) => [process.execPath, NETCASE_BIN, 'info', file, '--json'],
    countFrames: (stdout) => JSON.parse(stdout).packets,
    compareWith: 'capinfos -c',
  },
  {
    name: 'netcase info',
    argv: (file) => [process.execPath, NETCASE_BIN, 'info', file],
    compareWith: 'capinfos',
  },
  {
    name: 'decode, in-process count',
    argv: (file) => [process.execPath, DECODE_COUNT, file],
    countFrames: (stdout) => JSON.parse(stdout).packets,
    compareWith: 'tshark frame.number',
  },
  {
    name: 'netcase decode --json',
    argv: (file) => [process.execPath, NETCASE_BIN, 'decode', file, '--json'],
    compareWith: 'tshark frame.number',
  },
  {
    name: 'netcase analyze --json',
    argv: (file) => [process.execPath, NETCASE_BIN, 'analyze', file, '--json'],
    countFrames: (stdout) => JSON.parse(stdout).capture.packets,
    compareWith: 'tshark expert',
  },
];

// Reference commands; `tool` must be on PATH or the command is skipped.
const REFERENCE_COMMANDS = [
  { name: 'capinfos -c', tool: 'capinfos', argv: (file) => ['capinfos', '-M', '-c', file], countFrames: framesFromCapinfos },
  { name: 'capinfos', tool: 'capinfos', argv: (file) => ['capinfos', '-M', file], countFrames: framesFromCapinfos },
  { name: 'tshark frame.number', tool: 'tshark', argv: (file) => ['tshark', '-r', file, '-T', 'fields', '-e', 'frame.number'] },
  { name: 'tshark expert', tool: 'tshark', argv: (file) => ['tshark', '-n', '-q', '-r', file, '-z', 'expert'] },
];


function fingerprint(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function framesFromCapinfos(stdout) {
  const match = /^Number of packets:\s*([\d,]+)\s*$/m.exec(stdout);
  return match ? Number(match[1].replaceAll(',', '')) : null;
}

// ------------------------------------------------------------------------------------- options

function parseCommandLine() {
  const usage = 'usage: node bench/run.mjs [--sizes quarter,full] [--runs 3]';
  let values;
  try {
    ({ values } = parseArgs({ options: { sizes: { type: 'string' }, runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    fail(2, `${error.message}\n${usage}`);
  }
  if (values.help) fail(0, usage);
  const names = values.sizes ? values.sizes.split(',').map((s) => s.trim()) : SIZES.map((s) => s.name);
  const unknown = names.filter((name) => !SIZES.some((s) => s.name === name));
  if (unknown.length > 0) fail(2, `netcase bench: unknown size ${unknown.join(', ')} (known: ${SIZES.map((s) => s.name).join(', ')})`);
  const runs = values.runs === undefined ? DEFAULT_RUNS : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) fail(2, 'netcase bench: --runs must be a positive integer');
  return { sizes: SIZES.filter((s) => names.includes(s.name)), runs };
}

function fail(exitCode, message) {
  (exitCode === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exit(exitCode);
}

function resolveCacheDir() {
  const fromEnv = process.env.NETCASE_BENCH_DIR;
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : join(homedir(), '.cache', 'netcase-bench');
}

// ------------------------------------------------------------------------------------ captures

function planCaptures(cacheDir, sizes) {
  return sizes.flatMap((size) => {
    const pcap = {
      name: `${size.name}.pcap`, size: size.name, frames: size.frames, format: 'pcap', snaplen: 262144,
      path: join(cacheDir, `${size.name}.pcap`),
    };
    const pcapng = {
      name: `${size.name}-snap${SNAPLEN}.pcapng`, size: size.name, frames: size.frames, format: 'pcapng', snaplen: SNAPLEN,
      path: join(cacheDir, `${size.name}-snap${SNAPLEN}.pcapng`), source: pcap,
    };
    return [pcap, pcapng];
  });
}

function expectedMeta(capture) {
  return { generator: GENERATOR_FINGERPRINT, seed: SEED, frames: capture.frames, format: capture.format, snaplen: capture.snaplen };
}

function sidecarPath(capture) {
  return `${capture.path}.json`;
}

/** Returns the byte size when a matching cached capture exists, else null. */
function cachedBytes(capture) {
  try {
    const meta = JSON.parse(readFileSync(sidecarPath(capture), 'utf8'));
    const expected = expectedMeta(capture);
    const matches = Object.keys(expected).every((key) => meta[key] === expected[key]);
    return matches && statSync(capture.path).size === meta.bytes ? meta.bytes : null;
  } catch {
    return null;
  }
}

function ensureFreeSpace(cacheDir) {
  const stats = statfsSync(nearestExistingDir(cacheDir));
  const freeBytes = stats.bavail * stats.bsize;
  if (freeBytes < MIN_FREE_BYTES) {
    fail(2, `netcase bench: only ${(freeBytes / 1e9).toFixed(1)} GB free in ${cacheDir}; the benchmark captures need about ${MIN_FREE_BYTES / 1e9} GB (set NETCASE_BENCH_DIR to a roomier place)`);
  }
}

function nearestExistingDir(path) {
  let dir = resolve(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function generate(capture) {
  const partial = `${capture.path}.partial`;
  const argv = capture.format === 'pcap'
    ? [GENERATOR, '--frames', String(capture.frames), '--seed', SEED, '--out', partial]
    : [SNAPLEN_CONVERTER, capture.source.path, partial, String(capture.snaplen)];
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    fail(1, `netcase bench: generating ${capture.name} failed (exit ${result.status ?? result.error?.message})`);
  }
  renameSync(partial, capture.path);
  const bytes = statSync(capture.path).size;
  writeFileSync(sidecarPath(capture), `${JSON.stringify({ ...expectedMeta(capture), bytes }, null, 2)}\n`);
  return { bytes, seconds };
}

function missingCaptures(captures) {
  return captures.filter((capture) => cachedBytes(capture) === null);
}

function prepareCaptures(cacheDir, captures, missing) {
  const started = process.hrtime.bigint();
  for (const capture of captures) {
    if (missing.includes(capture)) {
      const { bytes, seconds } = generate(capture);
      capture.bytes = bytes;
      console.log(`generated ${capture.name}: ${formatInteger(capture.frames)} frames, ${formatFixed(megabytes(bytes), 1)} MB in ${seconds.toFixed(1)} s`);
    } else {
      capture.bytes = cachedBytes(capture);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const reused = captures.length - missing.length;
  console.log(missing.length > 0
    ? `capture generation took ${seconds.toFixed(1)} s (${missing.length} generated, ${reused} reused from cache)`
    : `captures: all ${reused} reused from cache (delete ${cacheDir} to regenerate)`);
  return { seconds, generated: missing.map((c) => c.name) };
}

// --------------------------------------------------------------------------------- measurement

async function measureAll(captures, { runs, references, useTimeCommand }) {
  const measurements = [];
  const jobs = [
    ...COMMANDS_UNDER_TEST.map((command) => ({ command, role: 'under test' })),
    ...references.map((command) => ({ command, role: 'reference' })),
  ];
  for (const capture of captures) {
    for (const { command, role } of jobs) {
      process.stdout.write(`  ${capture.name}: ${command.name} ...`);
      const result = await measureBest(command.argv(capture.path), { runs, countFrames: command.countFrames ?? null, useTimeCommand });
      process.stdout.write(result.ok ? ` ${formatFixed(result.bestWallS, 3)} s\n` : ` FAILED (${result.error})\n`);
      measurements.push(describeMeasurement(capture, command, role, result));
    }
  }
  return measurements;
}

function describeMeasurement(capture, command, role, result) {
  const frames = result.frames ?? capture.frames;
  const seconds = result.bestWallS;
  return {
    capture: capture.name,
    size: capture.size,
    command: command.name,
    role,
    compareWith: command.compareWith ?? null,
    countsFrames: Boolean(command.countFrames),
    argv: command.argv(capture.path),
    ok: result.ok,
    error: result.error,
    runs: result.runs,
    bestWallS: seconds,
    maxRssKb: result.maxRssKb,
    reportedFrames: result.frames,
    framesPerSecond: seconds ? frames / seconds : null,
    megabytesPerSecond: seconds ? megabytes(capture.bytes) / seconds : null,
  };
}

// ---------------------------------------------------------------------------- checks and goals

function checkFrameCounts(captures, measurements) {
  return captures.map((capture) => {
    const here = measurements.filter((m) => m.capture === capture.name);
    const reports = here.filter((m) => m.reportedFrames !== null).map((m) => ({ command: m.command, frames: m.reportedFrames }));
    const unverified = here.filter((m) => !m.ok && m.countsFrames).map((m) => m.command);
    const ok = reports.every((r) => r.frames === capture.frames);
    return { capture: capture.name, generatedFrames: capture.frames, reports, unverified, ok };
  });
}

function evaluateGoals(captures, measurements) {
  return GOALS.map((goal) =>
    goal.kind === 'throughput' ? throughputGoal(goal, captures, measurements) : goal.kind === 'ratio' ? ratioGoal(goal, captures, measurements) : rssGoal(goal, captures, measurements),
  );
}

/** netcase at least `minRatio` times faster than the reference on every file of the largest size. */
function ratioGoal(goal, captures, measurements) {
  const largest = captures.filter((c) => c.size === captures[captures.length - 1].size);
  const name = `${goal.command}: >= ${goal.minRatio}x faster than ${goal.reference} on both files of the largest size`;
  const ratios = largest.map((c) => {
    const m = measurements.find((x) => x.capture === c.name && x.command === goal.command);
    const r = measurements.find((x) => x.capture === c.name && x.command === goal.reference);
    return { capture: c.name, ratio: m?.ok && r?.ok ? r.bestWallS / m.bestWallS : null };
  });
  const measured = ratios.every((r) => r.ratio !== null);
  const pass = measured && ratios.every((r) => r.ratio >= goal.minRatio);
  const detail = ratios.map((r) => `${r.capture} ${r.ratio === null ? 'not measured' : `${formatFixed(r.ratio, 2)}x`}`).join(', ');
  return { name, pass, measured: Object.fromEntries(ratios.map((r) => [r.capture, r.ratio])), detail };
}

function throughputGoal(goal, captures, measurements) {
  const name = `${goal.command}: >= ${formatInteger(goal.minFramesPerSecond)} frames/s on the snaplen-${SNAPLEN} file`;
  const target = [...captures].reverse().find((c) => c.format === 'pcapng'); // largest measured size
  const measured = measurements.find((m) => m.capture === target?.name && m.command === goal.command);
  if (!measured?.ok) return { name, pass: false, measured: null, detail: `not measured: ${goal.command} did not run on ${target?.name}` };
  return {
    name,
    pass: measured.framesPerSecond >= goal.minFramesPerSecond,
    measured: measured.framesPerSecond,
    detail: `measured ${formatInteger(measured.framesPerSecond)} frames/s on ${target.name}`,
  };
}

function rssGoal(goal, captures, measurements) {
  const sizes = [...new Set(captures.map((c) => c.size))];
  const flat = goal.maxSpreadBytes === undefined ? '' : `, within ${goal.maxSpreadBytes / 1e6} MB of each other`;
  const name = `${goal.commands.join(' / ')}: peak RSS < ${goal.maxBytes / 1e6} MB at ${sizes.length > 1 ? 'both sizes' : `size ${sizes[0]}`}${flat}`;
  const perSize = sizes.map((size) => {
    const runs = measurements.filter((m) => m.size === size && goal.commands.includes(m.command));
    const complete = runs.length > 0 && runs.every((m) => m.ok && m.maxRssKb !== null);
    return { size, peakBytes: complete ? Math.max(...runs.map((m) => m.maxRssKb * 1024)) : null };
  });
  const peaks = perSize.map((s) => s.peakBytes);
  const measuredAll = peaks.every((b) => b !== null);
  const spread = measuredAll ? Math.max(...peaks) - Math.min(...peaks) : null;
  const pass = measuredAll && peaks.every((b) => b < goal.maxBytes) && (goal.maxSpreadBytes === undefined || spread <= goal.maxSpreadBytes);
  const detail = perSize.map((s) => `${s.size} ${s.peakBytes === null ? 'not measured' : `${formatFixed(megabytes(s.peakBytes), 1)} MB`}`).join(', ');
  return { name, pass, measured: Object.fromEntries(perSize.map((s) => [s.size, s.peakBytes])), detail };
}

// ------------------------------------------------------------------------------------- report

function underTestTable(captures, measurements) {
  const rows = measurements.filter((m) => m.role === 'under test').map((m) => ({
    m,
    capture: captures.find((c) => c.name === m.capture),
    reference: measurements.find((r) => r.role === 'reference' && r.capture === m.capture && r.command === m.compareWith && r.ok),
  }));
  return renderTable([
    { header: 'file', align: 'left', cell: (r) => r.m.capture },
    { header: 'frames', cell: (r) => formatInteger(r.capture.frames) },
    { header: 'MB', cell: (r) => formatFixed(megabytes(r.capture.bytes), 1) },
    { header: 'command', align: 'left', cell: (r) => r.m.command },
    { header: 'wall s', cell: (r) => (r.m.ok ? formatFixed(r.m.bestWallS, 3) : 'FAILED') },
    { header: 'frames/s', cell: (r) => formatInteger(r.m.framesPerSecond) },
    { header: 'MB/s', cell: (r) => formatFixed(r.m.megabytesPerSecond, 1) },
    { header: 'peak RSS MB', cell: (r) => formatFixed(megabytes(r.m.maxRssKb === null ? null : r.m.maxRssKb * 1024), 1) },
    { header: 'reference', align: 'left', cell: (r) => (r.reference ? r.reference.command : '-') },
    { header: 'ref wall s', cell: (r) => formatFixed(r.reference?.bestWallS, 3) },
    { header: 'ref RSS MB', cell: (r) => formatFixed(r.reference?.maxRssKb ? megabytes(r.reference.maxRssKb * 1024) : null, 1) },
    { header: 'speed ratio', cell: (r) => formatFixed(speedRatio(r.m, r.reference), 2) },
  ], rows);
}

/** netcase speed / reference speed = reference wall / netcase wall; > 1 means netcase is faster. */
function speedRatio(measurement, reference) {
  return measurement.ok && reference?.ok ? reference.bestWallS / measurement.bestWallS : null;
}

function referenceTable(measurements) {
  return renderTable([
    { header: 'file', align: 'left', cell: (m) => m.capture },
    { header: 'reference command', align: 'left', cell: (m) => m.command },
    { header: 'frames', cell: (m) => formatInteger(m.reportedFrames) },
    { header: 'wall s', cell: (m) => (m.ok ? formatFixed(m.bestWallS, 3) : 'FAILED') },
    { header: 'frames/s', cell: (m) => formatInteger(m.framesPerSecond) },
    { header: 'MB/s', cell: (m) => formatFixed(m.megabytesPerSecond, 1) },
    { header: 'peak RSS MB', cell: (m) => formatFixed(m.maxRssKb === null ? null : megabytes(m.maxRssKb * 1024), 1) },
  ], measurements.filter((m) => m.role === 'reference'));
}

function printFrameCountChecks(checks) {
  for (const check of checks.filter((c) => !c.ok)) {
    const reports = check.reports.map((r) => `${r.command} ${formatInteger(r.frames)}`).join(', ');
    console.log(`!!! MISMATCH !!! ${check.capture}: generated ${formatInteger(check.generatedFrames)} frames; reported: ${reports}`);
  }
  const unverified = checks.flatMap((c) => c.unverified.map((command) => `${command} on ${c.capture}`));
  if (unverified.length > 0) console.log(`frame counts NOT verified (command failed): ${unverified.join(', ')}`);
  if (checks.every((c) => c.ok)) {
    const commands = [...new Set(checks.flatMap((c) => c.reports.map((r) => r.command)))];
    console.log(`frame counts: OK on ${checks.length} files (generated${commands.map((c) => ` = ${c}`).join('')})`);
  }
}

function buildResults({ cacheDir, options, tools, generation, captures, measurements, checks, goals }) {
  return {
    schema: 'netcase-bench/1',
    finishedAt: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, totalMemoryBytes: totalmem() },
    cacheDir,
    seed: SEED,
    generator: GENERATOR_FINGERPRINT,
    runsPerMeasurement: options.runs,
    tools,
    generation,
    captures: captures.map(({ name, size, format, snaplen, frames, bytes, path }) => ({ name, size, format, snaplen, frames, bytes, path })),
    measurements: measurements.map((m) => ({ ...m, speedRatio: speedRatio(m, measurements.find((r) => r.role === 'reference' && r.capture === m.capture && r.command === m.compareWith)) })),
    frameCountChecks: checks,
    goals,
  };
}

// --------------------------------------------------------------------------------------- main

async function main() {
  const options = parseCommandLine();
  const cacheDir = resolveCacheDir();
  const captures = planCaptures(cacheDir, options.sizes);
  const missing = missingCaptures(captures);
  if (missing.length > 0) ensureFreeSpace(cacheDir);
  mkdirSync(cacheDir, { recursive: true });

  const tools = { time: hasTimeCommand(), capinfos: findOnPath('capinfos'), tshark: findOnPath('tshark') };
  console.log(`netcase bench: node ${process.version}, ${cpus().length} CPUs, cache ${cacheDir}`);
  if (!existsSync(NETCASE_BIN)) console.log(`warning: ${NETCASE_BIN} not found`);
  const generation = prepareCaptures(cacheDir, captures, missing);

  const references = REFERENCE_COMMANDS.filter((command) => findOnPath(command.tool) !== null);
  const skipped = REFERENCE_COMMANDS.filter((command) => !references.includes(command)).map((command) => command.tool);
  if (skipped.length > 0) console.log(`not on PATH, comparisons skipped: ${[...new Set(skipped)].join(', ')}`);
  const rssSource = tools.time ? '/usr/bin/time' : 'VmHWM sampling';
  console.log(`measuring: best wall time of ${options.runs} run${options.runs === 1 ? '' : 's'}, max peak RSS (${rssSource}); MB = 10^6 bytes`);
  const measurements = await measureAll(captures, { runs: options.runs, references, useTimeCommand: tools.time });

  console.log('');
  console.log(underTestTable(captures, measurements));
  if (references.length > 0) {
    console.log('');
    console.log(referenceTable(measurements));
  }
  console.log('');
  const checks = checkFrameCounts(captures, measurements);
  printFrameCountChecks(checks);
  const goals = evaluateGoals(captures, measurements);
  for (const goal of goals) console.log(`goal: ${goal.name}: ${goal.pass ? 'PASS' : 'FAIL'} (${goal.detail})`);

  const resultsPath = join(cacheDir, 'bench-results.json');
  const results = buildResults({ cacheDir, options, tools, generation, captures, measurements, checks, goals });
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results: ${resultsPath}`);

  const netcaseFailed = measurements.some((m) => m.role === 'under test' && !m.ok);
  const mismatch = checks.some((c) => !c.ok);
  process.exitCode = netcaseFailed || mismatch ? 1 : 0;
}

await main();
