import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { purge } from '../investigations/retention.js';
import { migrate, migrationStatus } from '../store/migrate.js';
import { openStore } from '../store/open-store.js';
import type { Outcome } from './exit-code.js';
import { UsageError, type CliIo } from './io.js';
import { USAGE } from './usage.js';
import { withInvestigations } from './with-store.js';

/** `netcase migrate [up|down|status]`: bare is up; down undoes one migration. */
export async function migrateCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const action = positionals[0] ?? 'up';
  if (positionals.length > 1 || !['up', 'down', 'status'].includes(action)) throw new UsageError(`expected up, down or status: ${USAGE.migrate}`);
  const store = await openStore(config.database, { migrate: false });
  try {
    if (action === 'status') {
      const states = await migrationStatus(store.db);
      await io.stdout(`${store.describe}\n${states.map((s) => `${s.executedAt === null ? 'pending ' : 'applied '} ${s.name}${s.executedAt ? `  (${s.executedAt})` : ''}`).join('\n')}\n`);
      return 'completed';
    }
    const result = await migrate(store, action as 'up' | 'down');
    const done = (result.results ?? []).filter((r) => r.status === 'Success');
    await io.stdout(done.length === 0 ? `${store.describe}: nothing to ${action === 'up' ? 'apply' : 'undo'}\n` : done.map((r) => `${r.direction === 'Up' ? 'applied' : 'undone'} ${r.migrationName}\n`).join(''));
    return 'completed';
  } finally {
    await store.close();
  }
}

/** `netcase purge [--days N]`: applies the retention now (NETCASE_RETENTION_DAYS by default). */
export async function purgeCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const { values, positionals } = parseArgs({ args, options: { days: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`purge takes no arguments: ${USAGE.purge}`);
  const days = values.days === undefined ? config.retentionDays : Number(values.days);
  if (!Number.isInteger(days) || days < 0) throw new UsageError(`--days takes a whole number of days, not "${values.days}"`);
  const r = await withInvestigations(config, io, (ctx) => purge(ctx, days, config.spoolDir));
  await io.stdout(values.json ? `${JSON.stringify({ days, ...r })}\n` : `purged analyses older than ${days} day(s): ${r.capturesPurged} capture(s), ${r.findingsDeleted} finding(s), ${r.spoolFilesRemoved} spooled file(s)\n`);
  return 'completed';
}
