import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCaseLibrary } from '../../src/cases/load-case-library.js';
import { matchCases } from '../../src/cases/match-cases.js';
import { makeFinding } from '../../src/findings/finding.js';
import { CaseIndex, SEARCH_TEXT_MAX_BYTES, searchableText, searchTextProblem } from '../../src/cases/search-cases.js';
import { netcase } from '../cli/run.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const index = new CaseIndex((await loadCaseLibrary({ readdir, readFile }, resolve(ROOT, 'case-library'))).cases);

describe('search reads at most 4 KB', () => {
  it('cuts a text at 4,096 UTF-8 bytes, between characters', () => {
    expect(searchableText('ecn')).toBe('ecn');
    expect(searchableText('a'.repeat(5000))).toBe('a'.repeat(SEARCH_TEXT_MAX_BYTES));
    // 端 is 3 bytes: 1,365 of them are 4,095 bytes; the 1,366th would not fit.
    expect(searchableText('端'.repeat(2000))).toBe('端'.repeat(1365));
    expect(searchTextProblem('x'.repeat(4096))).toBe(null);
    expect(searchTextProblem('x'.repeat(4097))).toBe('search text is 4,097 bytes long; at most 4,096 (4 KB) are searched: keep the words that matter');
  });

  it('a 1 MB symptom is matched by its first 4 KB, at once', () => {
    const head = 'ECN windows server 2012 cannot connect, SYN-ACK dropped by the firewall. ';
    const symptom = head + 'unrelated log line with many words '.repeat(30_000);
    const started = performance.now();
    // ECN negotiated (an info finding): the symptom's distinctive words lift the ECN incident page.
    const ecn = [{ finding: makeFinding('tcp.ecn_negotiation', { summary: '', frames: [3], severity: 'info' }), facts: {} }];
    const long = matchCases(index, ecn, symptom);
    const ms = performance.now() - started;
    expect(long.candidates.map((c) => c.id)).toEqual(matchCases(index, ecn, searchableText(symptom)).candidates.map((c) => c.id));
    expect(long.candidates[0]?.id).toBe('892443418260611');
    expect(ms).toBeLessThan(200);
  });

  it('netcase cases search refuses a text over 4 KB with one line and exit 2', () => {
    const r = netcase(['cases', 'search', 'tcp '.repeat(2000)]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^netcase: search text is 7,999 bytes long; at most 4,096 \(4 KB\) are searched: keep the words that matter \(usage: netcase cases .*\)\n$/);
  });
});
