/**
 * What the bot process does with an error nothing caught.
 *
 * - An unhandled promise rejection is one piece of async work that failed without a handler
 *   (every listener, job and timer has its own): it is logged and the process keeps serving.
 *   More than REJECTIONS_PER_MINUTE of them in a minute means something is broken everywhere,
 *   and counts as the next case.
 * - An uncaught exception leaves the process in an unknown state: it is logged, and the process
 *   stops as on SIGTERM (no new events or jobs; running jobs get 15 s to finish, then go back to
 *   the queue on SQLite or expire on pg-boss), bounded by STOP_WITHIN_MS, and exits 1, so its
 *   supervisor (systemd `Restart=on-failure`) starts it again and the queue runs the jobs again.
 *
 * Node's default (exit at once on both) would drop every analysis in flight for one bad request.
 */
export const REJECTIONS_PER_MINUTE = 20;
/** The graceful stop's own bound (15 s for running jobs) and a margin for closing the database. */
export const STOP_WITHIN_MS = 20_000;

type Log = (level: 'error' | 'fatal', message: string, fields: Record<string, unknown>) => void;

/** The part of `process` the policy uses (a test passes an EventEmitter). */
export interface CrashTarget {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  exit(code: number): void;
}

export function installCrashPolicy(target: CrashTarget, o: { log: Log; stop: () => Promise<void>; now?: () => number }): void {
  const now = o.now ?? Date.now;
  let window: number[] = [];
  let exiting = false;
  const exit = (why: string, error: unknown) => {
    o.log('fatal', `${why}; stopping so the supervisor restarts the process`, { error: describe(error) });
    if (exiting) return;
    exiting = true;
    const timer = setTimeout(() => target.exit(1), STOP_WITHIN_MS);
    timer.unref();
    o.stop().then(
      () => target.exit(1),
      () => target.exit(1),
    );
  };
  target.on('unhandledRejection', (reason) => {
    const t = now();
    window = [...window.filter((at) => at > t - 60_000), t];
    if (window.length > REJECTIONS_PER_MINUTE) return exit(`more than ${REJECTIONS_PER_MINUTE} unhandled rejections in a minute`, reason);
    o.log('error', 'unhandled rejection; still serving', { error: describe(reason) });
  });
  target.on('uncaughtException', (error) => exit('uncaught exception', error));
}

/** One line about an error: its name and message (never a stack with request data). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 1000) : String(error).slice(0, 1000);
}
