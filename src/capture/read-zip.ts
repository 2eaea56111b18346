import type yauzl from 'yauzl';
import type { UnpackBudget } from './limit-bytes.js';
import { CaptureError } from './types.js';

/** One file inside a zip archive, streamed (inflated) on demand. */
export interface ZipMember {
  /** The member's name as shown to people (control characters replaced, long names cut). */
  fileName: string;
  chunks: AsyncIterable<Uint8Array>;
  /** Skips the member without reading it. */
  discard(): Promise<void>;
}

/** An entry left unread, and why (its name leaves the archive, it is encrypted, ...). */
export interface SkippedEntry {
  fileName: string;
  reason: string;
}

export interface ZipArchive {
  skipped: SkippedEntry[];
  /** The readable file members, in central-directory order. */
  members(): AsyncGenerator<ZipMember>;
  close(): void;
}

/**
 * Opens a zip archive and checks it as a whole before anything is inflated: the entry count is
 * taken from the upload's budget, every central-directory entry is read, and an archive whose
 * entries overlap (several entries pointing at the same compressed bytes: the zip-bomb
 * construction that turns 262 KB into gigabytes) is refused. Entries netcase will not read (a name
 * with `..` or an absolute path, encryption, a compression method other than stored and deflate)
 * are listed in `skipped`. yauzl reads the central directory, so it needs a file (streams are
 * spooled by the caller). Names are only ever shown, never used as paths.
 */
export async function openZip(path: string, name: string, budget: UnpackBudget): Promise<ZipArchive> {
  // Loaded on first use: yauzl and its dependencies cost about 14 MB of RSS that plain captures never need.
  const { default: zipLib } = await import('yauzl');
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    zipLib.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, z) => (err ? reject(unreadable(name, err)) : resolve(z)));
  });
  try {
    budget.takeMembers(zip.entryCount);
    const entries: yauzl.Entry[] = [];
    for (let entry = await nextEntry(zip, name); entry !== null; entry = await nextEntry(zip, name)) entries.push(entry);
    refuseOverlaps(entries, name);
    const skipped: SkippedEntry[] = [];
    const readable: { entry: yauzl.Entry; fileName: string }[] = [];
    for (const entry of entries) {
      const fileName = zipLib.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (fileName.endsWith('/')) continue;
      const why = whyUnread(entry, fileName);
      if (why === null) readable.push({ entry, fileName: displayName(fileName) });
      else skipped.push({ fileName: displayName(fileName), reason: why });
    }
    return { skipped, members: () => members(zip, readable, name), close: () => zip.close() };
  } catch (error) {
    zip.close();
    throw error;
  }
}

async function* members(zip: yauzl.ZipFile, readable: { entry: yauzl.Entry; fileName: string }[], name: string): AsyncGenerator<ZipMember> {
  for (const { entry, fileName } of readable) {
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      zip.openReadStream(entry, (err, s) =>
        err ? reject(new CaptureError('capture.corrupt_compression', `${name}/${fileName}: this zip member is damaged (its header does not match the archive's table of contents); nothing could be read from it`)) : resolve(s),
      );
    });
    const readableStream = stream as NodeJS.ReadableStream & { destroy(): void };
    yield { fileName, chunks: readableStream as AsyncIterable<Uint8Array>, discard: async () => readableStream.destroy() };
    readableStream.destroy();
  }
}

/** Why an entry is not read, or null when it is. */
function whyUnread(entry: yauzl.Entry, fileName: string): string | null {
  const parts = fileName.split(/[/\\]/);
  if (parts.includes('..') || /^([/\\]|[A-Za-z]:)/.test(fileName)) return 'its name points outside the archive';
  if (entry.generalPurposeBitFlag & 1) return 'password-protected';
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return `compressed with method ${entry.compressionMethod}, which netcase cannot read (only stored and deflate)`;
  return null;
}

/** Local header (30 bytes) + name + compressed data: the least each entry occupies in the file. */
function refuseOverlaps(entries: yauzl.Entry[], name: string): void {
  const spans = entries.map((e) => [e.relativeOffsetOfLocalHeader, e.relativeOffsetOfLocalHeader + 30 + e.fileNameLength + e.compressedSize]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) {
      throw new CaptureError(
        'capture.archive_overlap',
        `${name}: the zip archive's entries overlap (several entries share the same compressed bytes, the way zip bombs are built); refused without unpacking anything`,
      );
    }
  }
}

/** What a person sees of a member name: control characters replaced, at most 120 characters. */
export function displayName(fileName: string): string {
  const clean = fileName.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

function unreadable(name: string, err: Error): CaptureError {
  if (/multi-disk/.test(err.message)) return new CaptureError('capture.unsupported', `${name}: split (multi-part) zip archives are not supported; join the parts into one zip first`);
  return new CaptureError('capture.not_a_capture', `${name}: not a readable zip archive: its table of contents at the end of the file is missing or damaged; if the file was cut short, upload the whole file`);
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
      reject(
        /encryption/.test(err.message)
          ? new CaptureError('capture.unsupported', `${name}: the zip archive uses strong encryption; unpack it and upload the capture itself`)
          : new CaptureError('capture.corrupt_compression', `${name}: the zip archive's table of contents is damaged; nothing could be read from it`),
      );
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}
