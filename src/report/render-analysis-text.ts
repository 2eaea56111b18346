import { commandsForCapture, type FilledCommand } from '../commands/commands-for-capture.js';
import { scopeLine } from './place-words.js';
import type { Analysis, FlowSummary } from '../analysis/analysis-types.js';
import { dnsRcodeName, dnsTypeName } from '../decode/dns-names.js';
import { findingText, type Lang } from '../findings/finding-text.js';

/** The findings section's own words; the findings' texts come from their catalogs (findingText). */
const FINDING_WORDS = {
  en: { heading: 'Findings (most severe first)', none: 'none: nothing the checks look for stands out in this capture', frames: 'frames', because: 'Because: ', ruledOut: 'Ruled out: ', next: 'Next: ' },
  zh: { heading: '发现（按严重程度排序）', none: '无：此抓包中没有检查项所关注的问题', frames: '帧', because: '原因：', ruledOut: '已排除：', next: '下一步：' },
} as const satisfies Record<Lang, Record<string, string>>;

/**
 * `netcase analyze` for people: summary first, then conversations and exchanges, problems first.
 * `lang` is the language of the findings (titles, summaries, reasons); the rest is the tool's own
 * English, as in the JSON.
 */
export function renderAnalysisText(a: Analysis, symptom: string | null, lang: Lang = 'en'): string {
  const out: string[] = [];
  const c = a.capture;
  const duration = c.durationMs === null ? '-' : `${(c.durationMs / 1000).toFixed(3)} s`;
  out.push(`Capture   ${c.file} (${c.format}${c.compression ? `, ${c.compression}` : ''}): ${c.packets} frames, ${c.bytes} bytes, ${duration}`);
  if (c.firstTime) out.push(`          ${c.firstTime} .. ${c.lastTime}`);
  if (symptom) out.push(`Symptom   ${symptom}`);
  if (a.focus.host || a.focus.port !== null) out.push(`Focus     ${[a.focus.host, a.focus.port === null ? null : `port ${a.focus.port}`].filter(Boolean).join(', ')}`);
  out.push(`Vantage   ${a.vantage.side}: ${a.vantage.explanation}`);
  out.push(`Traffic   ${Object.entries(a.protocols).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  const notable = a.flows.filter((f) => f.notable).length;
  out.push(`Flows     ${a.flowCount.tcp} TCP connections, ${a.flowCount.udp} UDP flows (${notable} listed with problems)`);
  for (const w of c.warnings) out.push(`Warning   [${w.code}] ${w.message}`);
  const limits = Object.entries(a.limits).filter(([, v]) => v > 0);
  if (limits.length > 0) out.push(`Limits    bookkeeping caps reached: ${limits.map(([k, v]) => `${k} ${v}`).join(', ')}`);

  const w = FINDING_WORDS[lang];
  out.push('', w.heading);
  if (a.findings.length === 0) out.push(`  ${w.none}`);
  for (const f of a.findings.slice(0, 20)) {
    const t = findingText(f, lang);
    const frames = f.frames.length > 0 ? ` [${w.frames} ${f.frames.slice(0, 8).join(', ')}${f.frameCount > 8 ? ', ...' : ''}]` : '';
    out.push(`  ${f.severity.toUpperCase().padEnd(8)} ${f.code}: ${t.title}${frames}`);
    const scope = scopeLine(f, lang);
    if (scope !== null) out.push(`           ${scope}`);
    out.push(`           ${t.summary}`);
    if (t.because !== null) out.push(`           ${w.because}${t.because}`);
    for (const r of t.ruledOut) out.push(`           ${w.ruledOut}${r}`);
    if (t.next !== null) out.push(`           ${w.next}${t.next}`);
  }

  out.push('', 'Case library');
  const answer = a.cases.find((c) => c.id === a.answer);
  if (answer !== undefined) {
    out.push(`  Likely cause: ${answer.title} (${answer.id}; ${answer.confidence})`, `    ${answer.because}`);
    const filled = commandsForCapture(answer.commands, a);
    const line = (cmd: FilledCommand) => [`    [${cmd.platform}, ${cmd.shell}, ${cmd.effect === 'check' ? 'read-only' : cmd.effect}${cmd.reboot ? ', needs a reboot' : ''}] ${cmd.purpose}${cmd.effect === 'check' ? '' : ` (risk: ${cmd.risk})`}`, `      ${cmd.form === 'registry' ? 'registry value: ' : cmd.form === 'config' ? 'configuration line: ' : ''}${cmd.text}`];
    out.push(`  Commands (${filled.platform.platforms.join(', ') || 'any platform'} first; <SLOTS> are values this capture does not show):`);
    for (const cmd of filled.primary) out.push(...line(cmd));
    if (filled.other.length > 0) out.push('  Other platforms:', ...filled.other.flatMap(line));
  } else {
    out.push(`  No answer: ${a.noAnswer?.text ?? 'no case library was searched.'}`);
  }
  // Beside an answer, only pages that also fit (or are its relatives); without one, the closest three.
  const closest = a.cases.filter((c) => c.id !== a.answer && (answer === undefined || c.strength === 'match' || answer.related.includes(c.id))).slice(0, 3);
  if (closest.length > 0) out.push(`  ${answer ? 'Also fits' : 'Closest pages (not an answer)'}: ${closest.map((c) => `${c.id} (${c.confidence})`).join('; ')}`);

  out.push('', 'Conversations (problems first, then by bytes)');
  const flows = a.flows.slice(0, 15);
  if (flows.length === 0) out.push('  none');
  for (const f of flows) out.push(`  ${flowLine(f)}`);
  if (a.flows.length > flows.length) out.push(`  ... ${a.flows.length - flows.length} more in --json`);

  const dns = a.exchanges.dns;
  if (dns.length > 0) {
    out.push('', 'Name resolution');
    for (const t of dns.slice(0, 15)) {
      const result =
        t.status === 'answered'
          ? `${dnsRcodeName(t.rcode)} in ${t.responseTimeMs.toFixed(1)} ms${t.answers.length ? ` -> ${t.answers.slice(0, 3).join(', ')}` : ''}`
          : t.status === 'unanswered'
            ? 'UNANSWERED'
            : 'no response before the capture ended';
      const retries = t.retransmitFrames.length > 0 ? ` (asked ${t.retransmitFrames.length + 1} times)` : '';
      out.push(`  #${t.queryFrame} ${t.protocol} ${t.client} -> ${t.server} ${t.protocol === 'nbns' ? '' : `${dnsTypeName(t.qtype)} `}${t.name}: ${result}${retries}`);
    }
    if (dns.length > 15) out.push(`  ... ${dns.length - 15} more in --json`);
  }
  const tls = a.exchanges.tls;
  if (tls.length > 0) {
    out.push('', 'TLS sessions');
    for (const s of tls.slice(0, 15)) {
      const alerts = s.alerts.map((x) => `${x.from} alert ${x.encrypted ? '(encrypted)' : `${x.level}/${x.description}`} #${x.frame}`).join(', ');
      const cert = s.certificates[0] ? ` cert "${s.certificates[0].subject}" (${s.certificates.length} in chain)` : '';
      out.push(`  ${s.client} -> ${s.server} ${s.sni || '(no SNI)'} ${s.selectedVersion ?? `offered ${s.offeredVersions.join('/')}`} reached ${s.stage}${cert}${alerts ? `; ${alerts}` : ''}`);
    }
  }
  const http = a.exchanges.http;
  if (http.length > 0) {
    out.push('', 'HTTP requests');
    for (const x of http.slice(0, 15)) {
      const result = x.status === null ? 'no response' : `${x.status} in ${x.responseTimeMs?.toFixed(1)} ms`;
      out.push(`  #${x.requestFrame} ${x.method} ${x.host}${x.uri} -> ${result}`);
    }
  }
  return out.join('\n') + '\n';
}

function flowLine(f: FlowSummary): string {
  const bytes = f.origSide.bytes + f.respSide.bytes;
  const packets = f.origSide.packets + f.respSide.packets;
  const problems = f.analysis ? Object.entries(f.analysis).map(([k, v]) => `${k} ${v}`).join(', ') : '';
  const state = f.state ? ` ${f.state} ${f.history}` : '';
  const reuse = f.portReuse ? ' port-reuse' : '';
  const stop = f.stop && f.stop.at !== 'completed' && f.stop.at !== 'open' ? ` stopped: ${f.stop.at.replace(/_/g, ' ')}${f.stop.frame > 0 ? ` at #${f.stop.frame}` : ''}` : '';
  return `${f.proto} ${f.orig} -> ${f.resp} ${f.app}${state}${reuse}${stop} ${packets} pkts ${bytes} B${problems ? ` [${problems}]` : ''} (#${f.firstFrame}-#${f.lastFrame})`;
}
