import type { Lang } from './words.js';

/** The result card's own words (conclusion first), in English and Chinese. */
const EN = {
  likelyCause: 'Likely cause:',
  confidence: { strong: 'strong evidence', likely: 'likely', possible: 'possible' } as Record<string, string>,
  noProblem: 'No network problem found in this capture.',
  nextCapture: 'If users still see the problem, capture again while it happens, at both ends (client and server) with full packets, and upload both here.',
  noAnswer: 'No case page fits clearly:',
  evidence: 'Evidence',
  caseRef: (id: string) => `case \`${id}\`: \`/netcase case ${id}\``,
};

const ZH: typeof EN = {
  likelyCause: '可能原因：',
  confidence: { strong: '证据充分', likely: '较可能', possible: '有可能' },
  noProblem: '这个抓包中没有发现网络问题。',
  nextCapture: '如果用户仍然遇到问题，请在问题发生时在两端（客户端和服务器）抓完整的包，并一起上传到这里。',
  noAnswer: '没有明确相符的案例页面：',
  evidence: '证据',
  caseRef: (id: string) => `案例 \`${id}\`：\`/netcase case ${id}\``,
};

export function cardWords(lang: Lang): typeof EN {
  return lang === 'zh' ? ZH : EN;
}
