import type { StreamFailure } from './chunk-source.js';
import { CaptureError, type CaptureWarning } from './types.js';

/** The container a decompression failure happened in, for the words that describe it. */
export type Container = 'gzip' | 'zip';

type FailureKind = 'cut' | 'damaged' | 'trailing';

/**
 * What went wrong inside a decompressor: zlib's codes, yauzl's size checks on a zip member, and
 * gunzipMembers' trailing bytes. Null for anything else (an I/O error or a bug: passed on as is).
 */
function failureKind(error: unknown): FailureKind | null {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (code === 'TRAILING_GARBAGE') return 'trailing';
  if (code === 'Z_BUF_ERROR' || /^(not enough bytes in the stream|unexpected EOF)/.test(message)) return 'cut';
  if ((typeof code === 'string' && code.startsWith('Z_')) || /^too many bytes in the stream/.test(message)) return 'damaged';
  return null;
}

const TEXT: Record<Container, Record<FailureKind, (bytes: number) => string>> = {
  gzip: {
    cut: (n) => `the gzip data ends early, after ${n} decompressed bytes (the .gz file was cut off); every whole frame before it was read`,
    damaged: (n) => `the gzip data is damaged after ${n} decompressed bytes (gzip -t shows it); every whole frame before the damage was read, nothing after it`,
    trailing: (n) => `the file goes on after the end of the gzip data (${n} decompressed bytes) with bytes that are not gzip; they were ignored, as gzip -d does`,
  },
  zip: {
    cut: (n) => `the zip member ends early, after ${n} decompressed bytes (the archive was cut off); every whole frame before it was read`,
    damaged: (n) => `the zip member's compressed data is damaged after ${n} decompressed bytes (unzip -t shows it); every whole frame before the damage was read, nothing after it`,
    trailing: (n) => `the zip member goes on after ${n} decompressed bytes with bytes that are not gzip; they were ignored`,
  },
};

const CODE: Record<FailureKind, CaptureWarning['code']> = { cut: 'capture.truncated_file', damaged: 'capture.corrupt_compression', trailing: 'capture.trailing_data' };

/** Decompression failures as capture warnings in words a person understands, never zlib's own message. */
export function unpackFailure(container: Container): StreamFailure {
  return (error, bytesSoFar) => {
    const kind = failureKind(error);
    if (kind === null) return null;
    return { code: CODE[kind], message: TEXT[container][kind](bytesSoFar), frame: null, offset: bytesSoFar };
  };
}

/** The refusal when a decompressor failed before a single byte came out. */
export function unpackRefusal(name: string, warning: CaptureWarning): CaptureError {
  if (warning.code === 'capture.truncated_file') return new CaptureError('capture.corrupt_compression', `${name}: the compressed data ends before anything could be decompressed (the file was cut off); upload the whole file`);
  if (warning.code === 'capture.trailing_data') return new CaptureError('capture.empty_file', `${name}: the compressed data decompresses to nothing`);
  return new CaptureError('capture.corrupt_compression', `${name}: the compressed data is damaged from its start, so nothing could be decompressed (gzip -t or unzip -t shows it); upload the file again`);
}

/** The refusal when compressed data that must be spooled whole (a zip or Network Monitor file inside) fails part way. */
export function spoolRefusal(name: string, warning: CaptureWarning): CaptureError {
  const cut = warning.code === 'capture.truncated_file' ? '; upload the whole file' : '';
  return new CaptureError('capture.corrupt_compression', `${name}: ${warning.message.split(';')[0]}; nothing was read, because what it holds is read only whole${cut}`);
}

/**
 * Passes chunks through; bytes after the end of the gzip data are not an error here: they end the
 * stream with a warning in `notes` (for data that is spooled whole before it is read).
 */
export async function* endAtTrailingData(chunks: AsyncIterable<Uint8Array>, container: Container, notes: CaptureWarning[]): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      yield chunk;
    }
  } catch (error) {
    const warning = unpackFailure(container)(error, bytes);
    if (warning === null || warning.code !== 'capture.trailing_data') throw error;
    notes.push(warning);
  }
}
