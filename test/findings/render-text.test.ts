import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import { findingText } from '../../src/findings/finding-text.js';
import { renderAnalysisText } from '../../src/report/render-analysis-text.js';
import { englishRuns } from './fixture-findings.js';

const SCENARIO = (name: string) => resolve(import.meta.dirname, '..', 'fixtures', 'scenarios', name);

/** The findings section of `netcase analyze` text: from its heading to the case library. */
function findingsSection(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Findings') || l.startsWith('发现'));
  return lines.slice(start, lines.indexOf('Case library'));
}

describe('netcase analyze text in a language', () => {
  it('English is the stored text, the same with or without the language', async () => {
    const [a] = await analyzeFile(SCENARIO('pmtu-blackhole-server.pcap'));
    const text = renderAnalysisText(a, null);
    expect(renderAnalysisText(a, null, 'en')).toBe(text);
    const f = a.findings[0];
    expect(findingsSection(text)).toEqual(expect.arrayContaining([expect.stringContaining(`${f.code}: ${f.title}`), `           ${f.summary}`, `           Because: ${f.because}`, `           Next: ${f.next}`]));
  });

  it('Chinese: titles, summaries, reasons and their labels, from the same analysis', async () => {
    const [a] = await analyzeFile(SCENARIO('pmtu-blackhole-server.pcap'));
    const section = findingsSection(renderAnalysisText(a, null, 'zh'));
    const f = a.findings[0];
    const zh = findingText(f, 'zh');
    expect(section[0]).toBe('发现（按严重程度排序）');
    expect(section).toEqual(expect.arrayContaining([expect.stringContaining(`${f.code}: 路径 MTU 黑洞 [帧 `), `           ${zh.summary}`, `           原因：${zh.because}`, `           下一步：${zh.next}`]));
    expect(section.some((l) => l.startsWith('           已排除：'))).toBe(true);
    // Code lines name the code; everything else a person reads is Chinese.
    for (const line of section) expect(englishRuns(line.replace(/\S+\.\S+:/, ''), ['10.84.1.1', '10.84.2.2'])).toEqual([]);
  });

  it('a capture without findings says so in the language', async () => {
    const [a] = await analyzeFile(SCENARIO('healthy-mix.pcap'));
    expect(findingsSection(renderAnalysisText(a, null, 'zh'))).toEqual(['发现（按严重程度排序）', '  无：此抓包中没有检查项所关注的问题', '']);
  });
});
