import { listInvestigationItems, markStale } from '../investigations/queries.js';
import type { InvestigationsContext } from '../investigations/context.js';
import { digestMessage } from '../report/slack-digest.js';
import type { SlackMessage } from '../report/slack-blocks.js';
import type { Lang } from '../report/words.js';
import { digestSlotPosted, takeDigestSlot } from '../investigations/slack-state.js';
import type { BotDeps } from './deps.js';

/** The digest of open investigations: a pure function of the store and the context's clock. */
export async function buildDigest(ctx: InvestigationsContext, o: { lang: Lang; staleDays: number; workspaceUrl: string | null; channel?: string }): Promise<SlackMessage> {
  const items = await listInvestigationItems(ctx, { status: 'open', channel: o.channel, limit: 500 });
  return digestMessage(items, o.lang, o.workspaceUrl, o.staleDays);
}

/**
 * Posts the digest for one scheduled slot exactly once across all bot processes: the first to
 * take the slot's lease posts. Stale investigations are marked first. Returns whether this process posted.
 */
export async function postScheduledDigest(deps: BotDeps, channel: string, slot: Date, holder: string): Promise<boolean> {
  const key = `${channel}@${slot.toISOString().slice(0, 16)}`;
  if (!(await takeDigestSlot(deps.inv, key, holder))) return false;
  await markStale(deps.inv, deps.staleDays);
  await deps.notifier.post(channel, null, await buildDigest(deps.inv, { lang: deps.lang, staleDays: deps.staleDays, workspaceUrl: deps.workspaceUrl }));
  await digestSlotPosted(deps.inv, key, holder);
  return true;
}
