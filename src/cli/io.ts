/** What a command may touch: text out, the environment. Passed in so tests can run commands in-process. */
export interface CliIo {
  /** Writes to stdout; a returned promise resolves when the stream can take more (backpressure). */
  stdout: (text: string) => void | Promise<void>;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** Bad input or usage: becomes exit 2 and this one line on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}
