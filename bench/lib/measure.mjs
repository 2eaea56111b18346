// Runs a command as a whole process and measures wall time and peak RSS.
// Uses GNU time (/usr/bin/time -f "%e %M") when present; otherwise samples VmHWM from
// /proc/PID/status while the process runs (Linux only; RSS is null elsewhere).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const TIME_COMMAND = '/usr/bin/time';
const OUTPUT_LIMIT_BYTES = 256 * 1024 * 1024;
const RSS_SAMPLE_INTERVAL_MS = 5;

export function hasTimeCommand() {
  return isExecutable(TIME_COMMAND);
}

/** Absolute path of `name` on $PATH, or null. */
export function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `argv` once. stdout is captured when `captureStdout`, else sent to /dev/null.
 * Returns { wallS, timeWallS, rssKb, exitCode, stdout, stderr }: wallS is the parent's monotonic
 * clock around the run (sub-millisecond), timeWallS is GNU time's %e (10 ms resolution) if used.
 */
export async function measureOnce(argv, { captureStdout = false, useTimeCommand = hasTimeCommand() } = {}) {
  return useTimeCommand ? measureWithTimeCommand(argv, captureStdout) : measureWithProcSampling(argv, captureStdout);
}

function measureWithTimeCommand(argv, captureStdout) {
  const scratchDir = mkdtempSync(join(tmpdir(), 'netcase-bench-'));
  const timeOutput = join(scratchDir, 'time.txt');
  const devNull = captureStdout ? null : openSync('/dev/null', 'w');
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(TIME_COMMAND, ['-f', '%e %M', '-o', timeOutput, ...argv], {
      stdio: ['ignore', captureStdout ? 'pipe' : devNull, 'pipe'],
      maxBuffer: OUTPUT_LIMIT_BYTES,
      encoding: 'utf8',
    });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const { timeWallS, rssKb } = parseTimeOutput(existsSync(timeOutput) ? readFileSync(timeOutput, 'utf8') : '');
    return {
      wallS, timeWallS, rssKb,
      exitCode: result.error ? null : result.status,
      stdout: result.stdout ?? '',
      stderr: result.error ? String(result.error.message) : result.stderr ?? '',
    };
  } finally {
    if (devNull !== null) closeSync(devNull);
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

/** GNU time writes "Command exited with non-zero status N" before the formatted line on failure. */
function parseTimeOutput(text) {
  const lines = text.trim().split('\n');
  const match = /^([\d.]+) (\d+)$/.exec(lines[lines.length - 1] ?? '');
  return match ? { timeWallS: Number(match[1]), rssKb: Number(match[2]) } : { timeWallS: null, rssKb: null };
}

function measureWithProcSampling(argv, captureStdout) {
  return new Promise((resolve) => {
    const devNull = captureStdout ? null : openSync('/dev/null', 'w');
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', captureStdout ? 'pipe' : devNull, 'pipe'] });
    let peakKb = null;
    const sample = () => {
      const kb = readPeakRssKb(child.pid);
      if (kb !== null) peakKb = Math.max(peakKb ?? 0, kb);
    };
    const timer = setInterval(sample, RSS_SAMPLE_INTERVAL_MS);
    sample();
    const stdout = [];
    const stderr = [];
    child.stdout?.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    let spawnError = null;
    child.on('error', (error) => { spawnError = error; });
    child.on('close', (code) => {
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(timer);
      if (devNull !== null) closeSync(devNull);
      resolve({
        wallS, timeWallS: null, rssKb: peakKb,
        exitCode: spawnError ? null : code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: spawnError ? spawnError.message : Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

function readPeakRssKb(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // not Linux, or the process has already exited
  }
}

/**
 * Runs `argv` `runs` times (stopping at the first failure); keeps the best wall time and the
 * maximum peak RSS. `countFrames(stdout)` parses a frame count from the output when given.
 */
export async function measureBest(argv, { runs, countFrames = null, useTimeCommand }) {
  const samples = [];
  let failure = null;
  let frames = null;
  for (let i = 0; i < runs && !failure; i++) {
    const run = await measureOnce(argv, { captureStdout: Boolean(countFrames), useTimeCommand });
    samples.push({ wallS: run.wallS, timeWallS: run.timeWallS, rssKb: run.rssKb, exitCode: run.exitCode });
    if (run.exitCode !== 0) {
      failure = `exit ${run.exitCode ?? 'error'}: ${lastLines(run.stderr, 3) || '(no stderr)'}`;
      break;
    }
    if (countFrames) {
      const counted = safeCount(countFrames, run.stdout);
      if (counted === null) failure = `could not read a frame count from the output: ${lastLines(run.stdout, 2)}`;
      else if (frames !== null && counted !== frames) failure = `frame count changed between runs (${frames} then ${counted})`;
      frames = counted;
    }
  }
  const ok = failure === null;
  const rssValues = samples.map((s) => s.rssKb).filter((kb) => kb !== null);
  return {
    ok,
    error: failure,
    runs: samples,
    bestWallS: ok ? Math.min(...samples.map((s) => s.wallS)) : null,
    maxRssKb: ok && rssValues.length > 0 ? Math.max(...rssValues) : null,
    frames: ok ? frames : null,
  };
}

function safeCount(countFrames, stdout) {
  try {
    const n = countFrames(stdout);
    return Number.isInteger(n) ? n : null;
  } catch {
    return null;
  }
}

function lastLines(text, n) {
  return text.trim().split('\n').slice(-n).join(' | ').slice(0, 400);
}
