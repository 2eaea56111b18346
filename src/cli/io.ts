/** What a command may touch: text out, the environment. Passed in so tests can run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** Bad input or usage: becomes exit 2 and this one line on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}
