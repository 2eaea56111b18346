import type { Case } from '../cases/case.js';
import type { Finding } from '../findings/finding.js';
import { findingText, type Lang } from '../findings/finding-text.js';
import { fillCommand } from '../commands/fill-command.js';
import { scopeLine } from './place-words.js';
import type { InvestigationDetail } from '../investigations/queries.js';

function flowText(flow: Finding['flow']): string {
  if (flow === null) return 'the capture';
  if ('proto' in flow) return `${flow.orig} → ${flow.resp}`;
  return 'server' in flow ? flow.server : flow.client;
}

/**
 * "Export report": the whole investigation as Markdown, uploaded into the thread. `lang` is the
 * language of the findings (title, place, summary, reasons); the report's own headings stay English.
 */
export function markdownReport(d: InvestigationDetail, cases: Map<string, Case>, lang: Lang = 'en'): string {
  const out = [`# ${d.id}: ${d.title}`, '', `Status: ${d.status}; opened ${d.createdAt}; last activity ${d.lastActivityAt}${d.owner ? `; owner ${d.owner}` : ''}${d.ticket ? `; ticket ${d.ticket}` : ''}`, ''];
  if (d.symptom) out.push('## Symptom', '', d.symptom, '');
  if (d.resolution) out.push('## Resolution', '', `Root cause: ${d.resolution.rootCause}`, '', `Fix: ${d.resolution.fix}`, ...(d.resolution.commands ? ['', '```', d.resolution.commands, '```'] : []), '');
  out.push('## Captures', '');
  for (const c of d.captures) out.push(`- ${c.name}: ${c.status}, ${c.size} bytes${c.packets !== null ? `, ${c.packets} packets, ${(c.durationS ?? 0).toFixed(1)} s` : ''}${c.error ? ` (${c.error})` : ''}`);
  out.push('', `## Findings (${d.findings.length})`, '');
  for (const f of d.findings) {
    const scope = scopeLine(f, lang);
    const t = findingText(f, lang);
    out.push(`### [${f.severity}] ${t.title} (\`${f.code}\`, confidence ${f.confidence})`, '', ...(scope === null ? [] : [scope, '']), t.summary, '', `Frames: ${f.frames.join(', ') || 'none'}${f.frameCount > f.frames.length ? ` (${f.frameCount} in all)` : ''}`);
    if (f.examples.length > 1) out.push('', 'Worst examples:', ...f.examples.map((x) => `- ${flowText(x.flow)}: frames ${x.frames.join(', ') || 'none'}${Object.keys(x.metrics).length > 0 ? `; ${Object.entries(x.metrics).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`));
    if (f.affected.length > f.examples.length) out.push('', `Affected (${f.affected.length}${f.count > f.affected.length ? ` listed of ${f.count}` : ''}): ${f.affected.map(flowText).join(', ')}`);
    const metrics = Object.entries(f.metrics);
    if (metrics.length > 0) out.push('', metrics.map(([k, v]) => `${k}=${v}`).join(', '));
    out.push('');
  }
  out.push('## Case matches', '');
  for (const m of d.matches) out.push(`${m.rank}. ${m.caseId} (${m.score.toFixed(3)}, ${m.strength}${m.caseId === d.answerCaseId ? ', answer' : ''}${m.feedback ? `, marked ${m.feedback}` : ''}): ${m.title}`);
  const answer = d.answerCaseId ? cases.get(d.answerCaseId) : undefined;
  if (answer !== undefined && answer.commands.length > 0) {
    out.push('', `## Commands (${answer.id})`, '');
    for (const c of answer.commands) out.push(`- ${c.platform}, ${c.shell}: ${c.purpose} (risk: ${c.risk})`, '', '  ```', `  ${fillCommand(c, {}).text}`, '  ```', '');
  }
  out.push('', '## Timeline', '');
  for (const t of d.timeline) out.push(`- ${t.at} ${t.kind}${t.actor ? ` (${t.actor})` : ''}: ${t.text}`);
  return `${out.join('\n')}\n`;
}
