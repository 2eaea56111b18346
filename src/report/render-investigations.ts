import type { InvestigationDetail, InvestigationItem, ResolvedHit } from '../investigations/queries.js';

/** `netcase investigations list`: one line each, newest first. */
export function renderInvestigationList(list: InvestigationItem[], status: string): string {
  if (list.length === 0) return `no ${status === 'all' ? '' : `${status} `}investigations\n`;
  const rows = list.map((i) => {
    const where = i.channel ? ` #${i.channel}` : '';
    const owner = i.owner ? ` owner ${i.owner}` : '';
    const finding = i.topFinding ? ` | ${i.topFinding.code}` : '';
    const best = i.bestCase ? ` | case ${i.bestCase.id}${i.bestCase.strength === 'weak' ? '?' : ''}` : '';
    return `${i.id}  ${i.status.padEnd(9)} ${String(i.ageDays).padStart(3)}d${i.stale ? ' STALE' : ''}  ${i.title}${where}${owner}${finding}${best}`;
  });
  return `${rows.join('\n')}\n`;
}

/** `netcase investigations show`: everything about one investigation. */
export function renderInvestigationDetail(d: InvestigationDetail): string {
  const out = [`${d.id}: ${d.title}`, `Status: ${d.status}${d.stale ? ' (stale)' : ''}, opened ${d.createdAt}, ${d.ageDays} day(s) old, last activity ${d.lastActivityAt}`];
  if (d.owner) out.push(`Owner: ${d.owner}`);
  if (d.ticket) out.push(`Ticket: ${d.ticket}`);
  if (d.channel) out.push(`Slack: channel ${d.channel}${d.threadTs ? `, thread ${d.threadTs}` : ''}`);
  if (d.symptom) out.push('', 'Symptom:', indent(d.symptom));
  if (d.resolution) {
    out.push('', `Resolution (${d.resolvedAt ?? ''}):`, `  Root cause: ${d.resolution.rootCause}`, `  Fix: ${d.resolution.fix}`);
    if (d.resolution.commands) out.push('  Commands:', indent(d.resolution.commands, 4));
    if (d.resolution.caseId) out.push(`  Case: ${d.resolution.caseId}`);
  }
  out.push('', `Captures (${d.captures.length}):`);
  for (const c of d.captures) {
    const numbers = c.packets === null ? '' : `, ${c.packets} packets, ${c.durationS?.toFixed(1) ?? '?'} s`;
    out.push(`  ${c.name}: ${c.status}${c.status === 'running' ? ` ${Math.round(c.progress * 100)}%` : ''}, ${c.size} bytes${numbers}${c.format ? `, ${c.format}` : ''}${c.error ? ` (${c.error})` : ''}${c.purgedAt ? ' (analysis purged)' : ''}`);
  }
  out.push('', `Findings (${d.findings.length}):`);
  for (const f of d.findings) out.push(`  [${f.severity}] ${f.code}: ${f.title} (frames ${f.frames.slice(0, 10).join(', ') || '-'})`);
  out.push('', 'Case matches:');
  if (d.matches.length === 0) out.push('  none');
  for (const m of d.matches) out.push(`  ${m.rank}. ${m.caseId} ${m.score.toFixed(3)} ${m.strength}${m.feedback ? ` (feedback: ${m.feedback})` : ''}: ${m.title}`);
  out.push('', 'Timeline:');
  for (const t of d.timeline) out.push(`  ${t.at} ${t.kind}${t.actor ? ` by ${t.actor}` : ''}: ${firstLine(t.text)}`);
  return `${out.join('\n')}\n`;
}

/** Resolved investigations found by text, after the case pages in `netcase cases search`. */
export function renderResolvedHits(hits: ResolvedHit[]): string {
  if (hits.length === 0) return 'no matching resolved investigation\n';
  return `${hits.map((h) => `${h.score.toFixed(3)}  ${h.id}  ${h.title}${h.caseId ? ` (case ${h.caseId})` : ''}\n        root cause: ${firstLine(h.rootCause)}`).join('\n')}\n`;
}

function indent(text: string, n = 2): string {
  return text.split('\n').map((l) => `${' '.repeat(n)}${l}`).join('\n');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
