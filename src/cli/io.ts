import type { Readable } from 'node:stream';

/** What a command may touch: text out, the environment. Passed in so tests can run commands in-process. */
export interface CliIo {
  /** Writes to stdout; a returned promise resolves when the stream can take more (backpressure). */
  stdout: (text: string) => void | Promise<void>;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Standard input, read when the file argument is "-" (a capture piped in). */
  stdin?: Readable;
}

/** The capture source a FILE argument names: "-" is standard input. */
export function captureSource(file: string, io: CliIo): string | Readable {
  if (file !== '-') return file;
  if (io.stdin === undefined) throw new UsageError('"-" reads a capture from standard input, which is not available here');
  return io.stdin;
}

/** Bad input or usage: becomes exit 2 and this one line on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}
