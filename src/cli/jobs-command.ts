import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { openQueue } from '../jobs/open-queue.js';
import type { JobSummary } from '../jobs/queue.js';
import type { Outcome } from './exit-code.js';
import { UsageError, type CliIo } from './io.js';
import { USAGE } from './usage.js';
import { withInvestigations } from './with-store.js';

/** `netcase jobs list [--json] [--limit N] | retry ID`: the analysis queue of the store's database. */
export async function jobsCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean' }, limit: { type: 'string' } }, allowPositionals: true, strict: true });
  if (sub !== 'list' && sub !== 'retry') throw new UsageError(`unknown jobs subcommand "${sub ?? ''}": ${USAGE.jobs}`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit takes a positive whole number, not "${values.limit}"`);
  if (sub === 'retry' && positionals.length !== 1) throw new UsageError(`expected one job id: ${USAGE.jobs}`);
  return withInvestigations(config, io, async (ctx): Promise<Outcome> => {
    const queue = await openQueue(config.database, ctx.store, { retryLimit: 3, retryDelayS: 5, expireInS: 720, pollMs: 1000 }, undefined, false);
    try {
      if (sub === 'list') {
        const jobs = await queue.list(limit);
        await io.stdout(values.json ? `${JSON.stringify({ queue: queue.kind, jobs })}\n` : renderJobs(jobs));
        return 'completed';
      }
      if (!(await queue.retry(positionals[0]))) throw new UsageError(`no failed or finished job with id "${positionals[0].slice(0, 60)}" (netcase jobs list shows them)`);
      await io.stdout(`job ${positionals[0]} will run again\n`);
      return 'completed';
    } finally {
      await queue.close();
    }
  });
}

function renderJobs(jobs: JobSummary[]): string {
  if (jobs.length === 0) return 'no jobs\n';
  return `${jobs.map((j) => `${j.id}  ${j.state.padEnd(9)} attempts ${j.attempts}/${j.retryLimit + 1}  ${j.createdAt}  ${j.data.investigationId} ${j.data.name}${j.error ? `  (${j.error.split('\n')[0].slice(0, 160)})` : ''}`).join('\n')}\n`;
}
