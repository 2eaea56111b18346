import type { Config } from '../config.js';
import type { StoreDb } from '../store/dialect.js';
import { pgBossQueue } from './pgboss-queue.js';
import type { JobQueue, QueueSettings } from './queue.js';
import { sqliteQueue } from './sqlite-queue.js';

/** pg-boss when the store is PostgreSQL, the embedded queue table when it is SQLite. */
/** `supervise: false` for short-lived commands (jobs list): pg-boss's maintenance runs in the bot and workers. */
export async function openQueue(database: Config['database'], store: StoreDb, settings: QueueSettings, log?: (message: string) => void, supervise = true): Promise<JobQueue> {
  return database.kind === 'postgres' ? pgBossQueue(database.url, settings, log, supervise) : sqliteQueue(store, settings, undefined, log);
}
