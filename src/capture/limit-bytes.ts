import { CaptureError } from './types.js';

/**
 * What one upload may unpack to, as a whole: decompressed bytes and archive members are counted
 * across every member and every nesting level (zip in gzip in zip ...), so neither many members
 * pointing at one bomb nor nesting gets a fresh allowance. One budget per readCaptures() call.
 */
export class UnpackBudget {
  private bytes = 0;
  private members = 0;

  constructor(
    /** The upload as the user named it: refusals speak of it, whichever member hit the cap. */
    readonly upload: string,
    /** NETCASE_MAX_DECOMPRESSED_MB, in bytes. */
    readonly maxBytes: number,
    readonly maxMembers: number = MAX_ARCHIVE_MEMBERS,
  ) {}

  /** Counts `n` more decompressed bytes; throws capture.decompression_limit past the cap. */
  takeBytes(n: number): void {
    this.bytes += n;
    if (this.bytes > this.maxBytes) {
      throw new CaptureError(
        'capture.decompression_limit',
        `${this.upload}: decompresses to more than ${Math.round(this.maxBytes / 1048576)} MB in all, counting every archive member and level (NETCASE_MAX_DECOMPRESSED_MB); reading stopped`,
      );
    }
  }

  /** Counts an archive's entries before any is inflated; throws capture.archive_limit past the cap. */
  takeMembers(n: number): void {
    this.members += n;
    if (this.members > this.maxMembers) {
      throw new CaptureError(
        'capture.archive_limit',
        `${this.upload}: holds more than ${this.maxMembers.toLocaleString('en-US')} archive entries in all (it has at least ${this.members.toLocaleString('en-US')}); zip fewer files at a time`,
      );
    }
  }
}

/**
 * Entries (files and folders) one upload may hold across all its zip archives. Every capture's
 * analysis is kept until the output is written (about 90 KB in memory for a small capture: a zip of
 * 10,000 of them peaked at 914 MB), so 1,000 keeps the worst case near 100 MB.
 */
export const MAX_ARCHIVE_MEMBERS = 1000;

/**
 * Containers (gzip, zip) a capture may sit in, one inside the other: `capture.pcap.gz` in
 * `upload.zip` is 2, and a gzipped zip of such files (3) is the deepest a real upload goes; every
 * further level is only a way round the other limits.
 */
export const MAX_NESTING = 3;

/** Passes chunks through, counting them against the upload's budget: a zip bomb stops here. */
export async function* limitBytes(chunks: AsyncIterable<Uint8Array>, budget: UnpackBudget): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    budget.takeBytes(chunk.length);
    yield chunk;
  }
}

/** Yields `head` and then the rest of an already started iterator. */
export async function* prepend(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of head) yield chunk;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}
