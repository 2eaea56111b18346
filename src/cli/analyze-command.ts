import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { drawPictures } from '../pictures/draw.js';
import type { Readable } from 'node:stream';
import type { Analysis } from '../analysis/analysis-types.js';
import type { AnalyzeFileOptions } from '../analysis/analyze-file.js';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import { CaseIndex } from '../cases/search-cases.js';
import { attachCapture } from '../investigations/captures.js';
import { openInvestigation } from '../investigations/lifecycle.js';
import { runCaptureAnalysis } from '../investigations/run-analysis.js';
import { spoolCapture } from '../investigations/spool-capture.js';
import { cliActor, withInvestigations } from './with-store.js';
import { parseArgs } from 'node:util';
import { analyzeFile } from '../analysis/analyze-file.js';
import { parseAddress } from '../analysis/analyze-capture.js';
import { applyThresholdOverrides, type Thresholds } from '../checks/thresholds.js';
import { ConfigError, type Config } from '../config.js';
import { renderAnalysisText } from '../report/render-analysis-text.js';
import type { Outcome } from './exit-code.js';
import { USAGE } from './usage.js';
import { captureSource, UsageError, type CliIo } from './io.js';

const ANALYZE_USAGE = USAGE.analyze;

/**
 * `netcase analyze`: the whole pipeline on one file. With --json, one object per capture (a zip
 * with several gives one per line). Output is written once the analysis is complete.
 */
export async function analyzeCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, symptom: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'all-flows': { type: 'boolean' }, save: { type: 'boolean' }, draw: { type: 'string' } },
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
  const thresholds = await readThresholds(config.thresholdsFile);
  const options = { host, port, allFlows: values['all-flows'] === true, maxDecompressedBytes: config.maxDecompressedBytes, caseLibrary: config.caseLibraryDir, symptom, thresholds };
  const source = captureSource(positionals[0], io);
  const { analyses, investigation } = values.save ? await saveAnalysis(source, positionals[0], symptom, options, io, config) : { analyses: await analyzeFile(source, options), investigation: null };
  const saved = investigation === null ? {} : { investigation: { id: investigation } };
  if (values.json) {
    await io.stdout(analyses.map((a) => JSON.stringify({ ...a, symptom, ...saved })).join('\n') + '\n');
  } else {
    await io.stdout(analyses.map((a) => renderAnalysisText(a, symptom)).join('\n'));
    if (investigation !== null) await io.stdout(`\nSaved as investigation ${investigation} (netcase investigations show ${investigation}).\n`);
  }
  if (drawDir !== null) await drawInto(drawDir, positionals[0], analyses, config, io);
  const damaged = analyses.find((a) => a.capture.warnings.some((w) => w.code === 'capture.corrupt_record'));
  if (damaged) {
    const w = damaged.capture.warnings.find((x) => x.code === 'capture.corrupt_record');
    io.stderr(`netcase: ${damaged.capture.file}: ${w?.message}\n`);
    return 'bad-input';
  }
  return 'completed';
}

/**
 * --save: the capture is spooled (hashed on the way), a new investigation is opened with it, and
 * the analysis is recorded in the store, exactly as an upload in Slack would be.
 */
async function saveAnalysis(source: string | Readable, file: string, symptom: string | null, options: Omit<AnalyzeFileOptions, 'onProgress'>, io: CliIo, config: Config): Promise<{ analyses: Analysis[]; investigation: string }> {
  const index = new CaseIndex((await loadCaseLibrary({ readdir, readFile }, config.caseLibraryDir)).cases);
  return withInvestigations(config, io, async (ctx) => {
    const name = file === '-' ? 'stdin' : basename(file);
    const spooled = await spoolCapture(source, config.spoolDir, { name });
    try {
      const title = symptom === null ? `Capture ${name}` : symptom.split('\n')[0].slice(0, 120);
      const inv = await openInvestigation(ctx, { title, symptom, actor: cliActor(io), source: 'netcase analyze --save' });
      const { capture } = await attachCapture(ctx, inv.id, { name, size: spooled.size, sha256: spooled.sha256, spoolPath: spooled.path, actor: cliActor(io) });
      const result = await runCaptureAnalysis(ctx, capture.id, { ...options, index });
      if (result === null) throw new Error(`capture ${capture.id} was taken by another runner`);
      return { analyses: result.analyses, investigation: inv.id };
    } catch (error) {
      // A capture that could not be read keeps its investigation (with the reason); its spool copy goes.
      await rm(spooled.path, { force: true });
      throw error;
    }
  });
}

/** --draw DIR: the pictures of each capture's top finding, as SVG and PNG (ladder-<code>, tseq-<code>). */
async function drawInto(dir: string, file: string, analyses: Analysis[], config: Config, io: CliIo): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`--draw ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOTDIR' || (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'not a folder' : (error as Error).message}`);
  }
  let written = 0;
  for (const [i, analysis] of analyses.entries()) {
    const suffix = analyses.length > 1 ? `-${i + 1}` : '';
    for (const p of await drawPictures(file, analysis, { maxDecompressedBytes: config.maxDecompressedBytes })) {
      await writeFile(join(dir, `${p.name}${suffix}.svg`), p.svg);
      await writeFile(join(dir, `${p.name}${suffix}.png`), p.png);
      io.stderr(`netcase: wrote ${join(dir, `${p.name}${suffix}`)}.png and .svg: ${p.alt}\n`);
      written++;
    }
  }
  if (written === 0) io.stderr('netcase: no picture: no finding with a connection or frames to draw\n');
}

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
