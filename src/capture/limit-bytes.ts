import { CaptureError } from './types.js';

/** Passes chunks through until more than `limit` bytes came out of a decompressor: a zip bomb stops here. */
export async function* limitBytes(chunks: AsyncIterable<Uint8Array>, limit: number, what: string): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > limit) {
      throw new CaptureError(
        'capture.decompression_limit',
        `${what}: decompresses to more than ${Math.round(limit / 1048576)} MB (NETCASE_MAX_DECOMPRESSED_MB); reading stopped`,
      );
    }
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
