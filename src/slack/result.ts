import type { CaseMatch, FindingFacts, NoAnswer } from '../cases/match-cases.js';
import { rankFindings } from '../findings/finding.js';
import { requireCapture } from '../investigations/captures.js';
import { showInvestigation } from '../investigations/queries.js';
import { resultMessage } from '../report/slack-result.js';
import type { SlackMessage } from '../report/slack-blocks.js';
import type { BotDeps } from './deps.js';

/**
 * The findings message of one capture, drawn from the store (so a retry, a re-rank or another
 * process draws the same thing): that capture's findings, the investigation's ranking.
 */
export async function resultFromStore(deps: BotDeps, captureId: string, note?: string): Promise<SlackMessage & { overflow: boolean }> {
  const capture = await requireCapture(deps.inv, captureId);
  const d = await showInvestigation(deps.inv, capture.investigationId);
  const summary = (capture.summary ?? {}) as { hosts?: string[]; vantage?: { explanation?: string } | null };
  const matches: CaseMatch[] = d.matches
    .filter((m) => m.feedback !== 'wrong')
    .map((m) => ({
      id: m.caseId,
      title: m.title,
      score: m.score,
      strength: m.strength,
      why: m.why,
      commands: deps.cases.byId.get(m.caseId)?.commands ?? [],
      // Rankings recorded before migration 07 have no explanation: the words say only what is known.
      confidence: m.explanation?.confidence ?? (m.caseId === d.answerCaseId ? 'likely' : 'possible'),
      because: m.explanation?.because ?? '',
      evidence: m.explanation?.evidence ?? { causes: [], supports: [], contradicts: [], symptomWords: [], looksLike: [] },
      related: m.explanation?.related ?? [],
    }));
  const answer = d.answerCaseId !== null && matches.some((m) => m.id === d.answerCaseId) ? d.answerCaseId : null;
  const ranked = rankFindings(d.findings.filter((f) => f.captureId === captureId));
  return resultMessage({
    lang: deps.lang,
    investigationId: d.id,
    captureId,
    captureName: capture.name,
    packets: capture.packets ?? 0,
    durationS: capture.durationS ?? 0,
    hosts: summary.hosts ?? [],
    vantage: summary.vantage?.explanation ?? null,
    findings: ranked,
    noAnswer: d.noAnswer as NoAnswer | null,
    findingFacts: ranked.map((f) => (f as typeof f & { facts?: FindingFacts }).facts ?? {}),
    matches,
    answer,
    caseTitle: (id, fallback) => {
      const c = deps.cases.byId.get(id);
      return c === undefined ? fallback : deps.lang === 'zh' ? c.titleZh || c.title : c.title;
    },
    note,
  });
}
