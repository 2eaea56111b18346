import { readdir, readFile, stat } from 'node:fs/promises';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import { CaseIndex } from '../cases/search-cases.js';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { readCaptures } from '../capture/read-capture.js';
import { CaptureError, type CaptureErrorCode } from '../capture/types.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Analysis } from './analysis-types.js';
import type { Picture } from '../pictures/draw.js';

export type { Picture };
import { analyzeCapture, type AnalyzeOptions } from './analyze-capture.js';

/**
 * Reads a capture file or stream and analyses every capture in it, beside the pure core: this is
 * where the file is opened, progress is reported (bytes read of the total) and, when asked, the
 * work moves to a worker thread so the caller's event loop (the Slack bot's) stays free.
 *
 * The worker runs the built file dist/src/analysis/analyze-worker.js (tests build first: `npm test`
 * runs `npm run build`), its heap is capped with resourceLimits (maxOldGenerationMb), and an abort
 * terminates it.
 */
export interface AnalyzeFileOptions extends Omit<AnalyzeOptions, 'onFrames' | 'signal' | 'cases'> {
  /** A case-library folder to match findings and the symptom against (loaded here, also in a worker). */
  caseLibrary?: string;
  onProgress?: (progress: { bytesRead: number; totalBytes: number | null; frames: number }) => void;
  signal?: AbortSignal;
  maxDecompressedBytes?: number;
  /** Run in a worker thread (paths only). */
  worker?: boolean;
  /** Heap cap for the worker, in MB. */
  maxOldGenerationMb?: number;
  /** Also draw the pictures of the first capture's top finding (paths only); they go to onPictures. */
  draw?: boolean;
  onPictures?: (pictures: Picture[]) => void;
}

export async function analyzeFile(source: string | Readable, options: AnalyzeFileOptions = {}): Promise<Analysis[]> {
  if (options.worker && typeof source === 'string') return analyzeInWorker(source, options);
  // A missing file is reported by the reader, with the file's name, as bad input.
  const totalBytes = typeof source === 'string' ? await stat(source).then((s) => s.size, () => null) : null;
  const cases = options.caseLibrary === undefined ? undefined : new CaseIndex((await loadCaseLibrary({ readdir, readFile }, options.caseLibrary)).cases);
  let bytesRead = 0;
  let frames = 0;
  const report = () => options.onProgress?.({ bytesRead, totalBytes, frames });
  const results: Analysis[] = [];
  const captures = readCaptures(source, {
    maxDecompressedBytes: options.maxDecompressedBytes,
    onBytes: (n) => {
      bytesRead = n;
    },
  });
  for await (const capture of captures) {
    if (options.stop?.aborted) break; // a time limit: later captures of an archive are not started
    const base = frames;
    results.push(
      await analyzeCapture(capture, {
        ...options,
        cases,
        signal: options.signal,
        onFrames: (n) => {
          frames = base + n;
          report();
        },
      }),
    );
  }
  if (options.draw && options.onPictures && typeof source === 'string' && results.length > 0) {
    // A picture that cannot be drawn never fails the analysis.
    // Loaded on demand: plain analyses never load the drawing code or its native renderer.
    const { drawPictures } = await import('../pictures/draw.js');
    options.onPictures(await drawPictures(source, results[0], { maxDecompressedBytes: options.maxDecompressedBytes }).catch(() => []));
  }
  return results;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'progress'; bytesRead: number; totalBytes: number | null; frames: number }
  | { type: 'done'; analyses: Analysis[] }
  | { type: 'pictures'; pictures: Picture[] }
  | { type: 'error'; name: string; code?: string; message: string };

/** The built worker: beside this file in dist/, or in dist/ when this file runs from src/ (tests). */
function workerUrl(): URL {
  const here = new URL('./analyze-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/src/analysis/analyze-worker.js', import.meta.url);
}

function analyzeInWorker(path: string, options: AnalyzeFileOptions): Promise<Analysis[]> {
  // A worker is bounded by `signal` (it fails the job); `stop` (a partial result) is for in-process runs.
  const { onProgress, onPictures: _onPictures, signal, worker: _worker, maxOldGenerationMb, stop: _stop, ...rest } = options;
  const url = workerUrl();
  return new Promise((resolve, reject) => {
    const w = new Worker(url, { workerData: { path, options: rest }, resourceLimits: { maxOldGenerationSizeMb: maxOldGenerationMb ?? 1024 } });
    const abort = () => {
      void w.terminate();
      reject(signal?.reason ?? new Error('aborted'));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m);
      else if (m.type === 'pictures') options.onPictures?.(m.pictures.map((p) => ({ ...p, png: Buffer.from(p.png) })));
      else if (m.type === 'done') resolve(m.analyses);
      else reject(m.name === 'CaptureError' ? new CaptureError(m.code as CaptureErrorCode, m.message) : Object.assign(new Error(m.message), { name: m.name, code: m.code }));
    });
    w.on('error', (error: Error & { code?: string }) =>
      reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new Error(`the analysis needed more than its ${maxOldGenerationMb ?? 1024} MB heap (NETCASE_ANALYSIS_HEAP_MB)`) : error),
    );
    w.on('exit', (code) => {
      signal?.removeEventListener('abort', abort);
      if (code !== 0) reject(new Error(`analysis worker exited with code ${code} (out of memory? maxOldGenerationMb=${maxOldGenerationMb ?? 1024})`));
    });
  });
}
