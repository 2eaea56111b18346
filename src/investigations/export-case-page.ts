import { exampleValuesIn } from '../cases/command-template.js';
import { commandSlots } from '../commands/command-slots.js';
import { templateCommand } from '../commands/template-command.js';
import { SEVERITY_RANK } from '../findings/catalog.js';
import type { InvestigationsContext } from './context.js';
import { InvestigationError } from './context.js';
import { showInvestigation } from './queries.js';

/**
 * A resolved investigation as a draft case page (case-library/README.md's front matter and six
 * headings), for a person to review, complete and commit. What cannot be known from the record
 * (the Chinese title, each command's platform, and its purpose and risk in English and Chinese) is
 * marked TODO.
 *
 * A case page is a template for the next capture, so the commands the engineer recorded lose this
 * investigation's values: the addresses, port and names its findings name become slots
 * ({server_ip}, {server_port}, {dns_server}, ...; case-library/README.md). A literal the findings
 * do not explain (an address typed from elsewhere) stays, with a TODO in the purpose, and the
 * case-page lint rejects the page until a person replaces it. Each command's effect is guessed
 * from its verb (show, get, query: check; anything else: change) for the person to confirm.
 */
export async function exportCasePage(ctx: InvestigationsContext, id: string): Promise<{ id: string; file: string; text: string }> {
  const d = await showInvestigation(ctx, id);
  if (d.status !== 'resolved' || d.resolution === null) throw new InvestigationError(`investigation ${d.id} is ${d.status}; only a resolved one can become a case page`);
  const pageId = d.ticket !== null && /^\d+$/.test(d.ticket) ? d.ticket : slug(d.title) || d.id.toLowerCase();
  const findings = [...d.findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const problems = findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium);
  const codes = [...new Set((problems.length > 0 ? problems : findings).map((f) => f.code))];
  const slots = commandSlots({ findings, findingFacts: findings.map((f) => f.facts) });
  const commands = (d.resolution.commands ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '').map((l) => guessCommand(templateCommand(l, slots)));
  const platforms = [...new Set(commands.map((c) => c.platform))];
  const symptoms = d.symptom.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 8).map((l) => l.slice(0, 200));
  const lines = [
    '---',
    `id: ${q(pageId)}`,
    `title: ${q(d.title)}`,
    `title_zh: ${q(`TODO 中文标题: ${d.title}`)}`,
    `aliases: [${[...codes, ...(d.resolution.caseId ? [d.resolution.caseId] : []), ...(d.ticket ? [d.ticket] : []), ...(codes.length === 0 ? [d.title] : [])].map(q).join(', ')}]`,
    'symptoms:',
    ...(symptoms.length > 0 ? symptoms : [d.title]).map((s) => `  - ${q(s)}`),
    `platforms: [${(platforms.length > 0 ? platforms : ['windows']).map(q).join(', ')}]`,
    'signatures:',
    ...codes.map((c) => `  - {code: ${c}}`),
    'commands:',
    ...commands.flatMap((c) => [
      `  - platform: ${q(c.platform)}`,
      `    shell: ${q(c.shell)}`,
      `    command: ${q(c.command)}`,
      `    purpose: ${q(`TODO: what it checks or changes${literalsNote(c.command)}`)}`,
      `    purpose_zh: ${q('TODO：用中文写它检查或修改什么')}`,
      `    effect: ${q(c.effect)}`,
      `    risk: ${q(c.effect === 'check' ? 'none: read-only (TODO: confirm)' : 'TODO: what could go wrong')}`,
      `    risk_zh: ${q(c.effect === 'check' ? '无：只读（TODO：确认）' : 'TODO：用中文写可能出什么问题')}`,
      '    reboot: false',
    ]),
    'references: []',
    ...(d.ticket !== null ? [`ticket: ${q(d.ticket)}`] : []),
    '---',
    '',
    '## Summary',
    '',
    `${sentence(d.title)} Root cause: ${sentence(d.resolution.rootCause)} Fix: ${sentence(d.resolution.fix)}`,
    '',
    `(Draft exported by netcase from investigation ${d.id}${d.resolvedAt ? `, resolved ${d.resolvedAt.slice(0, 10)}` : ''}. Review every line before committing.)`,
    '',
    '## Symptoms',
    '',
    d.symptom || 'TODO: what users reported.',
    '',
    '## How to confirm',
    '',
    ...(findings.length > 0 ? findings.slice(0, 12).map((f) => `- \`${f.code}\` (${f.severity}): ${f.title}. Evidence frames ${f.frames.slice(0, 8).join(', ') || 'none'}.`) : ['TODO: what to look for in a capture.']),
    '',
    '## Root cause',
    '',
    d.resolution.rootCause,
    '',
    '## Resolution',
    '',
    d.resolution.fix,
    ...(commands.length > 0 ? ['', ...commands.map((c) => `- \`${c.command}\``)] : []),
    '',
    '## What did not help',
    '',
    'TODO: what was tried and ruled out (or "Nothing recorded.").',
    '',
  ];
  return { id: pageId, file: `${pageId}.md`, text: lines.join('\n') };
}

/** A case-library id from a title: lowercase ASCII words joined by hyphens, at most 60 characters. */
function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?。]$/.test(t) ? t : `${t}.`;
}

/** A YAML double-quoted string. */
function q(text: string): string {
  return JSON.stringify(text.replace(/[\u0000-\u001f]/g, ' '));
}

/** The platform, shell and effect a command line most likely has; a person checks them. */
function guessCommand(line: string): { platform: string; shell: string; command: string; effect: 'check' | 'change' } {
  const effect = guessEffect(line);
  if (/^HK(LM|CU)\\/.test(line)) return { platform: 'windows', shell: 'registry', command: line, effect: 'change' };
  if (/^netsh\b/i.test(line)) return { platform: 'windows', shell: 'netsh', command: line, effect };
  if (/^[A-Z][a-z]+-[A-Z][A-Za-z]+/.test(line)) return { platform: 'windows', shell: 'powershell', command: line, effect };
  if (/^(ipconfig|nslookup|reg|sc|certutil|netstat|route|tracert|pktmon)\b/i.test(line)) return { platform: 'windows', shell: 'cmd', command: line, effect };
  return { platform: 'linux', shell: 'bash', command: line, effect };
}

/** Read-only by its verb: a PowerShell Get-/Test-/Resolve-, a show or query subcommand, a lookup or probe tool. */
function guessEffect(line: string): 'check' | 'change' {
  if (/^(Get|Test|Resolve|Measure|Select)-/i.test(line)) return /\|\s*(Set|Remove|Disable|Enable|Invoke)-/i.test(line) ? 'change' : 'check';
  if (/^netsh\b.*\bshow\b/i.test(line) || /^reg query\b/i.test(line)) return 'check';
  if (/^(nslookup|dig|host|ping|tracert|traceroute|tracepath|pathping|mtr|netstat|ss|ipconfig \/all|ip (-s )?(addr|link|route)( show)?\b|nbtstat|curl|openssl s_client|nc -z|nc -vz|w32tm \/query|resolvectl status|sysctl [a-z.]+$|capinfos)/i.test(line)) return 'check';
  return 'change';
}

/** " (TODO: ...)" naming literal addresses or names the findings did not turn into slots. */
function literalsNote(command: string): string {
  const literals = exampleValuesIn(command);
  return literals.length === 0 ? '' : `; then replace ${literals.join(', ')} with a slot (case-library/README.md) or say why it is fixed`;
}
