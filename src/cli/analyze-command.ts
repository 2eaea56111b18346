import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyzeFile } from '../analysis/analyze-file.js';
import { parseAddress } from '../analysis/analyze-capture.js';
import { applyThresholdOverrides, type Thresholds } from '../checks/thresholds.js';
import { ConfigError, type Config } from '../config.js';
import { renderAnalysisText } from '../report/render-analysis-text.js';
import type { Outcome } from './exit-code.js';
import { USAGE } from './usage.js';
import { damageLine } from './damaged-input.js';
import { captureSource, UsageError, type CliIo } from './io.js';

const ANALYZE_USAGE = USAGE.analyze;

/**
 * `netcase analyze`: the whole pipeline on one file. With --json, one object per capture (a zip
 * with several gives one per line). Output is written once the analysis is complete.
 */
export async function analyzeCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, symptom: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'all-flows': { type: 'boolean' }, save: { type: 'boolean' }, draw: { type: 'string' }, 'max-seconds': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError(`expected one capture file: ${ANALYZE_USAGE}`);
  const host = values.host === undefined || values.host === '' ? undefined : values.host;
  if (host !== undefined) {
    try {
      parseAddress(host);
    } catch {
      throw new UsageError(`--host takes an IPv4 or IPv6 address, not "${host}"`);
    }
  }
  const port = values.port === undefined || values.port === '' ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port takes a port number 0-65535, not "${values.port}"`);
  const symptom = values.symptom?.trim() || null;
  const drawDir = values.draw === undefined || values.draw.trim() === '' ? null : values.draw;
  if (drawDir !== null && positionals[0] === '-') throw new UsageError('--draw reads the capture a second time, so it needs a file, not standard input');
  const maxSeconds = values['max-seconds'] === undefined || values['max-seconds'].trim() === '' ? Math.min(config.maxAnalysisS, MAX_SECONDS) : Number(values['max-seconds']);
  if (!(maxSeconds > 0 && maxSeconds <= MAX_SECONDS)) throw new UsageError(`--max-seconds takes a number of seconds above 0 and at most ${MAX_SECONDS}, not "${values['max-seconds']}"`);
  const thresholds = await readThresholds(config.thresholdsFile);
  // At the time limit the analysis stops reading and reports what it covered (then exit 2).
  const stop = AbortSignal.timeout(maxSeconds * 1000);
  const options = { host, port, allFlows: values['all-flows'] === true, maxDecompressedBytes: config.maxDecompressedBytes, caseLibrary: config.caseLibraryDir, symptom, thresholds, stop };
  const source = captureSource(positionals[0], io);
  // The store and the picture renderer load only when asked for: a plain analyze stays lean.
  const { analyses, investigation } = values.save ? await (await import('./save-analysis.js')).saveAnalysis(source, positionals[0], symptom, options, io, config) : { analyses: await analyzeFile(source, options), investigation: null };
  const stopped = stop.aborted; // read now: a timer firing while the results are printed changes nothing
  const saved = investigation === null ? {} : { investigation: { id: investigation } };
  // One write per capture: an archive of many captures never becomes one huge string.
  if (values.json) {
    for (const a of analyses) await io.stdout(`${JSON.stringify({ ...a, symptom, ...saved })}\n`);
  } else {
    for (const [i, a] of analyses.entries()) await io.stdout(`${i > 0 ? '\n' : ''}${renderAnalysisText(a, symptom)}`);
    if (investigation !== null) await io.stdout(`\nSaved as investigation ${investigation} (netcase investigations show ${investigation}).\n`);
  }
  if (stopped) {
    const frames = analyses.reduce((n, a) => n + a.capture.packets, 0);
    io.stderr(`netcase: ${positionals[0] === '-' ? 'stdin' : positionals[0]}: the analysis stopped at its time limit of ${maxSeconds} s (--max-seconds, NETCASE_MAX_ANALYSIS_S); the output covers the first ${frames} frames${analyses.length > 1 ? ` of ${analyses.length} captures` : ''}\n`);
    return 'bad-input';
  }
  if (drawDir !== null) await (await import('./draw-pictures.js')).drawInto(drawDir, positionals[0], analyses, config, io);
  const damaged = damageLine(analyses.map((a) => ({ name: a.capture.file, warnings: a.capture.warnings })));
  if (damaged === null) return 'completed';
  io.stderr(damaged);
  return 'bad-input';
}

/** A day: the longest time limit --max-seconds takes (the timer's own limit is about 24.8 days). */
const MAX_SECONDS = 86_400;

/** NETCASE_THRESHOLDS: a JSON object of threshold overrides; bad files are a configuration error. */
export async function readThresholds(file: string | null): Promise<Thresholds | undefined> {
  if (file === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`NETCASE_THRESHOLDS=${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(error as Error).message})`}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`NETCASE_THRESHOLDS=${file}: must hold a JSON object of threshold names and numbers`);
  try {
    return applyThresholdOverrides(parsed as Record<string, unknown>);
  } catch (error) {
    throw new ConfigError(`NETCASE_THRESHOLDS=${file}: ${(error as Error).message}`);
  }
}
