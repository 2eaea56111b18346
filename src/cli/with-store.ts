import type { Config } from '../config.js';
import { openInvestigations, type OpenedInvestigations } from '../investigations/open-investigations.js';
import type { CliIo } from './io.js';

/** Opens the store for one command (migrating it, settling what dead processes left) and always closes it. */
export async function withInvestigations<T>(config: Config, io: CliIo, fn: (ctx: OpenedInvestigations) => Promise<T>): Promise<T> {
  const ctx = await openInvestigations(config);
  try {
    if (ctx.requeued.length > 0) io.stderr(`netcase: ${ctx.requeued.length} capture(s) left running by a stopped process went back to the queue\n`);
    if (ctx.failed.length > 0) io.stderr(`netcase: ${ctx.failed.length} capture(s) of an analyze --save run that stopped are marked failed (netcase investigations list shows them)\n`);
    return await fn(ctx);
  } finally {
    await ctx.store.close();
  }
}

/** Who is acting, for the timeline: the CLI user. */
export function cliActor(io: CliIo): string {
  const user = io.env.USER?.trim() || io.env.LOGNAME?.trim();
  return user ? `cli:${user}` : 'cli';
}
