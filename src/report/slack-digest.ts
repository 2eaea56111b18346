import type { InvestigationItem } from '../investigations/queries.js';
import { context, header, section, type Block, type SlackMessage } from './slack-blocks.js';
import { code, cut, esc } from './mrkdwn.js';
import { words, type Lang } from './words.js';

/** Link to a thread, when the workspace URL is known. */
export function threadLink(workspaceUrl: string | null, channel: string | null, ts: string | null, label: string): string {
  if (workspaceUrl === null || channel === null || ts === null) return esc(label);
  return `<${workspaceUrl.replace(/\/?$/, '/')}archives/${encodeURIComponent(channel)}/p${ts.replace('.', '')}|${esc(label)}>`;
}

/**
 * The digest of open investigations: age, channel, thread link, top finding, best case and owner;
 * those without activity for STALE_DAYS first and marked.
 */
export function digestMessage(items: InvestigationItem[], lang: Lang, workspaceUrl: string | null, staleDays: number, title?: string): SlackMessage {
  const w = words(lang);
  const sorted = [...items].sort((a, b) => Number(b.idleDays >= staleDays) - Number(a.idleDays >= staleDays) || b.ageDays - a.ageDays);
  const blocks: Block[] = [header(title ?? w.digestTitle(items.length))];
  if (items.length === 0) blocks.push(section(esc(w.digestEmpty)));
  const shown = sorted.slice(0, 40);
  for (const i of shown) {
    const stale = i.idleDays >= staleDays ? ` :warning: *${esc(w.stale)}* (${esc(w.age(i.idleDays))})` : '';
    const finding = i.topFinding ? ` · ${code(i.topFinding.code)}` : '';
    const best = i.bestCase ? ` · case ${code(i.bestCase.id)}` : '';
    const where = i.channel ? ` · <#${esc(i.channel)}>` : '';
    blocks.push(section(`${threadLink(workspaceUrl, i.channel, i.threadTs, i.id)} ${esc(cut(i.title, 120))}${stale}\n${esc(w.age(i.ageDays))}${where}${finding}${best} · ${owner(i.owner, w.nobody)}`));
  }
  if (sorted.length > shown.length) blocks.push(context(`+${sorted.length - shown.length}`));
  return { text: esc(title ?? w.digestTitle(items.length)), blocks };
}

/** A Slack user id becomes a mention; anything else (a CLI user) stays text. */
export function owner(who: string | null, nobody: string): string {
  if (who === null) return esc(nobody);
  return /^[UW][A-Z0-9]{2,}$/.test(who) ? `<@${who}>` : esc(who);
}
