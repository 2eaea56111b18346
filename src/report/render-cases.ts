import { fillCommand } from '../commands/fill-command.js';
import type { Case } from '../cases/case.js';
import type { SearchHit } from '../cases/search-cases.js';

/** `netcase cases show`: the page as a support engineer reads it in a terminal. */
export function renderCaseText(c: Case): string {
  const out = [`${c.id}: ${c.title}`, `${c.titleZh}`, ''];
  if (c.ticket) out.push(`Ticket: ${c.ticket}`);
  out.push(`Platforms: ${c.platforms.join(', ')}`, `Findings: ${c.signatures.map((s) => s.code).join(', ')}`, '');
  for (const [heading, text] of Object.entries(c.sections)) out.push(`## ${heading}`, text, '');
  if (c.commands.length > 0) {
    out.push('## Commands');
    for (const cmd of c.commands) out.push(`[${cmd.platform}, ${cmd.shell}${cmd.reboot ? ', needs a reboot' : ''}] ${cmd.purpose} (risk: ${cmd.risk})`, `${cmd.purposeZh}（风险：${cmd.riskZh}）`, `  ${fillCommand(cmd, {}).text}`);
  }
  return out.join('\n') + '\n';
}

/** `netcase cases search`: one line per hit, best first, with why it matched. */
export function renderSearchText(hits: SearchHit[]): string {
  if (hits.length === 0) return 'no matching case\n';
  return hits.map((h) => `${h.score.toFixed(3)}  ${h.case.id}  ${h.case.title}  (${h.why.fields.join(', ')}: ${h.why.words.join(', ')})`).join('\n') + '\n';
}
