import type { Config } from '../config.js';
import { openStore, type Store } from '../store/open-store.js';
import { requeueAbandoned } from './captures.js';
import type { InvestigationsContext } from './context.js';

export interface OpenedInvestigations extends InvestigationsContext {
  store: Store;
  /** Captures put back in the queue because the process analysing them is gone. */
  requeued: string[];
}

/** Opens the store (migrating it first) and puts back captures a crashed process left running. */
export async function openInvestigations(config: Config, now: () => Date = () => new Date()): Promise<OpenedInvestigations> {
  const store = await openStore(config.database);
  const ctx = { store, now };
  try {
    return { ...ctx, requeued: await requeueAbandoned(ctx) };
  } catch (error) {
    await store.close();
    throw error;
  }
}
