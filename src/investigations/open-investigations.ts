import type { Config } from '../config.js';
import { openStore, type Store } from '../store/open-store.js';
import type { InvestigationsContext } from './context.js';
import { settleDeadRuns, type SettledRuns } from './dead-runs.js';

export interface OpenedInvestigations extends InvestigationsContext, SettledRuns {
  store: Store;
}

/** Opens the store (migrating it first) and settles what dead processes left behind (dead-runs.ts). */
export async function openInvestigations(config: Config, now: () => Date = () => new Date()): Promise<OpenedInvestigations> {
  const store = await openStore(config.database);
  const ctx = { store, now };
  try {
    return { ...ctx, ...(await settleDeadRuns(ctx, config.spoolDir)) };
  } catch (error) {
    await store.close();
    throw error;
  }
}
