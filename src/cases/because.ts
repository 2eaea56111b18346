import type { CaseEvidence, EvidenceItem, NoAnswer } from './match-cases.js';

/**
 * The case answer's words, in English and Chinese: the because-sentence built from the matched
 * evidence and symptom phrases, and the one line that says why there is no answer. Pure; the
 * analysis keeps the English one in its JSON, renderers pick the user's language.
 */
type Lang = 'en' | 'zh';

const SEVERITY_ZH: Record<string, string> = { critical: '严重', high: '高', medium: '中', low: '低', info: '信息' };

function itemText(e: EvidenceItem, lang: Lang): string {
  const frames = e.frames.length === 0 ? '' : lang === 'zh' ? `，帧 ${e.frames.join(', ')}` : `, frames ${e.frames.join(', ')}`;
  return lang === 'zh' ? `${e.code}（${SEVERITY_ZH[e.severity] ?? e.severity}${frames}）` : `${e.code} (${e.severity}${frames})`;
}

function list(items: string[], lang: Lang): string {
  if (lang === 'zh') return items.join('、');
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function becauseSentence(e: CaseEvidence, lang: Lang): string {
  const parts: string[] = [];
  const words = e.symptomWords.map((w) => `"${w}"`);
  if (lang === 'zh') {
    if (e.causes.length > 0) parts.push(`抓包中有本页所讲的问题：${list(e.causes.map((x) => itemText(x, lang)), lang)}`);
    if (e.supports.length > 0) parts.push(`旁证：${list(e.supports.map((x) => itemText(x, lang)), lang)}`);
    if (words.length > 0) parts.push(`症状中的 ${list(words, lang)} 与本页的症状相符`);
    if (e.contradicts.length > 0) parts.push(`但 ${list(e.contradicts.map((x) => x.code), lang)} 与之相矛盾`);
    if (e.looksLike.length > 0) parts.push(`看起来像案例 ${list(e.looksLike, lang)}`);
    return parts.length === 0 ? '只有很弱的证据。' : `${parts.join('；')}。`;
  }
  if (e.causes.length > 0) parts.push(`the capture shows what this page is about: ${list(e.causes.map((x) => itemText(x, lang)), lang)}`);
  if (e.supports.length > 0) parts.push(`${e.causes.length > 0 ? 'with' : 'only supporting evidence:'} ${list(e.supports.map((x) => itemText(x, lang)), lang)}`);
  if (words.length > 0) parts.push(`the symptom's ${list(words, lang)} ${words.length === 1 ? 'matches' : 'match'} the page's symptoms`);
  if (e.contradicts.length > 0) parts.push(`but ${list(e.contradicts.map((x) => x.code), lang)} ${e.contradicts.length === 1 ? 'argues' : 'argue'} against it`);
  if (e.looksLike.length > 0) parts.push(`this looks like case ${list(e.looksLike, lang)}`);
  if (parts.length === 0) return 'Only weak evidence.';
  const sentence = parts.join('; ');
  return `${sentence[0].toUpperCase()}${sentence.slice(1)}.`;
}

export function noAnswerSentence(n: Pick<NoAnswer, 'reason' | 'closest' | 'other' | 'code'>, lang: Lang): string {
  if (lang === 'zh') {
    switch (n.reason) {
      case 'healthy':
        return '这个抓包里没有网络或应用问题，所以不给出案例。';
      case 'no_candidate':
        return '案例库中没有与这些发现相符的页面。';
      case 'no_capture':
        return '还没有抓包：以下页面只按症状描述排序。';
      case 'contradicted':
        return `最接近的是 ${n.closest}，但 ${n.code} 与之相矛盾。`;
      case 'weak':
        return `最接近的是 ${n.closest}，但证据太弱（相关发现太少、不确定或严重程度低）。`;
      default:
        return `${n.closest} 与 ${n.other ?? '另一页'} 同样相符${n.code ? `（都基于 ${n.code}）` : ''}，无法确定是哪一个。`;
    }
  }
  switch (n.reason) {
    case 'healthy':
      return 'No network or application problem in this capture, so no case page is suggested.';
    case 'no_candidate':
      return 'No page of the case library fits these findings.';
    case 'no_capture':
      return 'No capture analysed yet: the pages below are ranked by the symptom alone.';
    case 'contradicted':
      return `Closest page ${n.closest}, but ${n.code} contradicts it.`;
    case 'weak':
      return `Closest page ${n.closest}, but the evidence is weak (its findings are few, uncertain or of low severity).`;
    default:
      return `${n.closest} and ${n.other ?? 'another page'} fit equally well${n.code ? ` (both on ${n.code})` : ''}; the capture cannot tell them apart.`;
  }
}
