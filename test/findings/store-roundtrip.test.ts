import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import { findingText } from '../../src/findings/finding-text.js';
import { attachCapture } from '../../src/investigations/captures.js';
import { openInvestigation } from '../../src/investigations/lifecycle.js';
import { showInvestigation } from '../../src/investigations/queries.js';
import { markdownReport } from '../../src/report/markdown-report.js';
import { findingsOf, replaceFindings } from '../../src/store/analysis-repo.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { targets } from '../store/targets.js';

const SCENARIO = (name: string) => resolve(import.meta.dirname, '..', 'fixtures', 'scenarios', name);

describe.each(targets())('a stored finding keeps its message ($name)', (target) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const created = await target.create();
    dispose = created.dispose;
    store = await openStore(created.database);
  });
  afterAll(async () => {
    await store?.close();
    await dispose?.();
  });

  it('writes the message into the explanation and reads it back, so Chinese renders from the row', async () => {
    const ctx = { store, now: () => new Date('2026-12-05T09:00:00.000Z') };
    const inv = await openInvestigation(ctx, { title: 'short names do not resolve' });
    const { capture } = await attachCapture(ctx, inv.id, { name: 'short-name-suffix.pcap', size: 1, sha256: 'a'.repeat(64) });
    const [analysis] = await analyzeFile(SCENARIO('short-name-suffix.pcap'));
    await replaceFindings(store.db, capture.id, analysis.findings.map((finding) => ({ finding, facts: {} })));

    const stored = await findingsOf(store.db, inv.id);
    expect(stored.map((f) => f.message)).toEqual(analysis.findings.map((f) => f.message));
    expect(stored.map((f) => f.message?.id)).toContain('dns.suffix_search_exhaustion');
    for (const [i, f] of stored.entries()) {
      expect(findingText(f, 'en')).toEqual(findingText(analysis.findings[i], 'en'));
      expect(findingText(f, 'zh')).toEqual(findingText(analysis.findings[i], 'zh'));
    }
    expect(findingText(stored[0], 'zh').summary).toContain('短名称“reports”');

    // The exported report renders the stored findings in the reader's language; English stays as stored.
    const detail = await showInvestigation(ctx, inv.id);
    const en = markdownReport(detail, new Map());
    expect(markdownReport(detail, new Map(), 'en')).toBe(en);
    expect(en).toContain(`### [high] ${stored[0].title} (\`${stored[0].code}\``);
    expect(en).toContain(stored[0].summary);
    const zh = markdownReport(detail, new Map(), 'zh');
    expect(zh).toContain(`### [high] 短名称加上每个 DNS 后缀都解析失败 (\`dns.suffix_search_exhaustion\``);
    expect(zh).toContain(findingText(stored[0], 'zh').summary);
    expect(zh).not.toContain(stored[0].summary);

    // A row written before messages existed: no message, the English summary stands in.
    const old = JSON.stringify({ reasons: [], because: null, ruledOut: [], next: null });
    await store.db.updateTable('finding').set({ explanation: old }).where('capture_id', '=', capture.id).execute();
    const legacy = await findingsOf(store.db, inv.id);
    expect(legacy.every((f) => f.message === null)).toBe(true);
    expect(findingText(legacy[0], 'zh')).toMatchObject({ title: '短名称加上每个 DNS 后缀都解析失败', summary: stored[0].summary });
  });
});
