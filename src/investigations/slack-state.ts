import { setMatchFeedback } from '../store/analysis-repo.js';
import { normalizeInvestigationId } from '../store/ids.js';
import { findInvestigationByThread, getInvestigation } from '../store/investigation-repo.js';
import type { CaptureRecord, Feedback, Investigation } from '../store/records.js';
import { getCapture } from '../store/capture-repo.js';
import { acquireDigestLease, claimEvent, markDigestPosted } from '../store/slack-state-repo.js';
import { addTimeline } from '../store/timeline-repo.js';
import type { InvestigationsContext } from './context.js';

/** What the bot keeps against Slack's retries and for posting a digest slot once, as service calls. */
export function claimSlackEvent(ctx: InvestigationsContext, eventId: string): Promise<boolean> {
  return claimEvent(ctx.store.db, eventId, ctx.now());
}

export function takeDigestSlot(ctx: InvestigationsContext, slot: string, holder: string): Promise<boolean> {
  return acquireDigestLease(ctx.store.db, slot, holder, ctx.now());
}

export function digestSlotPosted(ctx: InvestigationsContext, slot: string, holder: string): Promise<void> {
  return markDigestPosted(ctx.store.db, slot, holder, ctx.now());
}

/** The investigation whose thread this is, or null. */
export function investigationOfThread(ctx: InvestigationsContext, channel: string, threadTs: string): Promise<Investigation | null> {
  return findInvestigationByThread(ctx.store.db, channel, threadTs);
}

/** The investigation with this id, or null (no error: for lookups from user text). */
export function findInvestigation(ctx: InvestigationsContext, id: string): Promise<Investigation | null> {
  return getInvestigation(ctx.store.db, normalizeInvestigationId(id));
}

/** "Useful" / "Wrong match" on a case match, with a timeline entry. */
export async function recordFeedback(ctx: InvestigationsContext, investigationId: string, caseId: string, feedback: Feedback, user: string | null): Promise<boolean> {
  const ok = await setMatchFeedback(ctx.store.db, investigationId, caseId, feedback, user, ctx.now().toISOString());
  if (ok) await addTimeline(ctx.store.db, investigationId, ctx.now(), 'feedback', user, `${caseId}: ${feedback}`);
  return ok;
}

/** The capture with this id, or null (a duplicate removed after its download). */
export function getCaptureOrNull(ctx: InvestigationsContext, captureId: string): Promise<CaptureRecord | null> {
  return getCapture(ctx.store.db, captureId);
}
