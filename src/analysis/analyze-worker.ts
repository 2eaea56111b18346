// Worker-thread entry for analyzeFile({ worker: true }): runs the same pipeline off the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureError } from '../capture/types.js';
import { analyzeFile, type AnalyzeFileOptions, type WorkerMessage } from './analyze-file.js';

const { path, options } = workerData as { path: string; options: AnalyzeFileOptions };
const post = (m: WorkerMessage) => parentPort?.postMessage(m);
let last = 0;
try {
  const analyses = await analyzeFile(path, {
    ...options,
    worker: false,
    onPictures: (pictures) => post({ type: 'pictures', pictures }),
    onProgress: (p) => {
      const now = Date.now();
      if (now - last >= 200) {
        last = now;
        post({ type: 'progress', ...p });
      }
    },
  });
  post({ type: 'done', analyses });
} catch (error) {
  const e = error as Error & { code?: string };
  post({ type: 'error', name: error instanceof CaptureError ? 'CaptureError' : e.name, code: e.code, message: e.message });
}
