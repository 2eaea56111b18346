import { searchTextProblem } from '../cases/search-cases.js';
import { searchResolved } from '../investigations/queries.js';
import { findInvestigation } from '../investigations/slack-state.js';
import { esc } from '../report/mrkdwn.js';
import { section, type SlackMessage } from '../report/slack-blocks.js';
import { helpMessage, searchMessage } from '../report/slack-case.js';
import type { BotDeps } from './deps.js';

/**
 * `/netcase search TEXT`: case pages and resolved investigations, privately. A text over 4 KB
 * is refused before anything reads it (searchTextProblem), so it cannot hold the event loop.
 */
export async function searchCommand(deps: BotDeps, text: string): Promise<SlackMessage> {
  if (text === '') return helpMessage(deps.lang);
  const problem = searchTextProblem(text);
  if (problem !== null) {
    const said = `${problem[0].toUpperCase()}${problem.slice(1)}.`;
    return { text: said, blocks: [section(esc(said))] };
  }
  const hits = deps.cases.index.search(text, 5);
  const resolved = await searchResolved(deps.inv, text, 3);
  const threads = new Map<string, { channel: string | null; threadTs: string | null }>();
  for (const r of resolved) {
    const inv = await findInvestigation(deps.inv, r.id);
    threads.set(r.id, { channel: inv?.channel ?? null, threadTs: inv?.threadTs ?? null });
  }
  return searchMessage(text, hits, resolved, deps.lang, deps.workspaceUrl, threads);
}
