import type yauzl from 'yauzl';
import { CaptureError } from './types.js';

/** One file inside a zip archive, streamed (inflated) on demand. */
export interface ZipMember {
  fileName: string;
  chunks: AsyncIterable<Uint8Array>;
  /** Skips the member without reading it. */
  discard(): Promise<void>;
}

/**
 * The file members of a zip archive, in central-directory order. yauzl reads the central
 * directory, so it needs a file (streams are spooled by the caller). Directories are skipped.
 */
export async function* readZipMembers(path: string, name: string): AsyncGenerator<ZipMember> {
  // Loaded on first use: yauzl and its dependencies cost about 14 MB of RSS that plain captures never need.
  const { default: zipLib } = await import('yauzl');
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    zipLib.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, z) =>
      err ? reject(new CaptureError('capture.not_a_capture', `${name}: not a readable zip archive (${err.message})`)) : resolve(z),
    );
  });
  try {
    for (;;) {
      const entry = await nextEntry(zip, name);
      if (entry === null) return;
      if (entry.fileName.endsWith('/')) continue;
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
        zip.openReadStream(entry, (err, s) =>
          err ? reject(new CaptureError('capture.not_a_capture', `${name}/${entry.fileName}: cannot be extracted (${err.message})`)) : resolve(s),
        );
      });
      const readable = stream as NodeJS.ReadableStream & { destroy(): void };
      yield {
        fileName: entry.fileName,
        chunks: readable as AsyncIterable<Uint8Array>,
        discard: async () => readable.destroy(),
      };
      readable.destroy();
    }
  } finally {
    zip.close();
  }
}

function nextEntry(zip: yauzl.ZipFile, name: string): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new CaptureError('capture.not_a_capture', `${name}: damaged zip archive (${err.message})`));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}
