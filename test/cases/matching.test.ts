import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import { loadCaseLibrary } from '../../src/cases/load-case-library.js';
import { matchCases, type FindingFacts } from '../../src/cases/match-cases.js';
import { CaseIndex } from '../../src/cases/search-cases.js';
import { symptomWeigher, symptomWeight } from '../../src/cases/symptom-words.js';
import type { Severity } from '../../src/findings/catalog.js';
import { makeFinding } from '../../src/findings/finding.js';
import type { FindingCode } from '../../src/findings/catalog.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const caseLibrary = resolve(ROOT, 'case-library');
const library = await loadCaseLibrary({ readdir, readFile }, caseLibrary);
const index = new CaseIndex(library.cases);
const M = (dir: string, name: string) => resolve(ROOT, 'test', 'fixtures', 'matrix', dir, name);
const f = (code: FindingCode, severity: Severity, facts: FindingFacts = {}) => ({ finding: makeFinding(code, { summary: '', frames: [5, 6], severity }), facts });

describe('case matching: roles, relations, symptoms and silence (issue 17)', () => {
  it('the library declares its relations and every page has a cause', () => {
    expect(library.problems).toEqual([]);
    const rel = Object.fromEntries(library.cases.filter((c) => c.instanceOf !== null).map((c) => [c.id, c.instanceOf]));
    expect(rel).toEqual({
      '116486419190611': 'dns-suffix-search-list',
      '317234419170611': 'tls-incomplete-certificate-chain',
      'duplicate-frames-span-pktmon': 'capture-guide',
      'snaplen-too-small': 'capture-guide',
      'tls-protocol-versions-windows': 'tls-version-cipher-mismatch',
    });
    expect(library.cases.filter((c) => c.catchAll).map((c) => c.id)).toEqual(['capture-guide']);
    for (const c of library.cases) expect(c.signatures.some((s) => s.role === 'cause'), c.id).toBe(true);
  });

  it('a PMTU black hole with RTO stalls is the PMTU page: the stall supports it and the black hole argues against random loss', async () => {
    const [a] = await analyzeFile(M('path', 'pmtu-icmp-late-v4-server.pcap'), { caseLibrary });
    expect(a.answer).toBe('pmtud-blackhole');
    expect(a.cases[0].evidence.causes.map((e) => e.code)).toEqual(['tcp.pmtud_blackhole']);
    const lossy = a.cases.find((c) => c.id === 'lossy-link-retransmissions');
    expect(lossy?.strength).not.toBe('match');
    expect(lossy?.evidence.contradicts.map((e) => e.code)).toContain('tcp.pmtud_blackhole');
    expect(lossy?.because).toMatch(/but tcp\.pmtud_blackhole argues against it\.$/);
  });

  it('duplicate frames: the page for the artefact, never the capture guide (a catch-all) ahead of it', async () => {
    const [a] = await analyzeFile(M('tcp', 'dup-any-v4-router.pcap'), { caseLibrary });
    expect(a.answer).toBe('duplicate-frames-span-pktmon');
    expect(a.cases[0].related).toEqual(['capture-guide']);
    const guide = a.cases.findIndex((c) => c.id === 'capture-guide');
    expect(guide === -1 || guide > 0).toBe(true);
  });

  it('a healthy near-miss gets no answer and no list, and says why in one line', async () => {
    const [a] = await analyzeFile(M('app', 'nearmiss-search-first-suffix-v4-client.pcap'), { caseLibrary, symptom: 'intranet is slow sometimes' });
    expect([a.answer, a.cases]).toEqual([null, []]);
    expect(a.noAnswer?.reason).toBe('healthy');
  });

  it('a symptom that names an incident in other words lifts its page when its signature is only at info level', () => {
    const ecn = [f('tcp.ecn_negotiation', 'info')];
    for (const symptom of ["only our 2012 servers fail against that vendor's service, the older ones work", '只有 2012 的服务器访问那家厂商的接口失败，老服务器正常']) {
      const m = matchCases(index, ecn, symptom);
      expect(m.answer, symptom).toBe('892443418260611');
      expect(m.candidates[0].because).toMatch(/2012/);
    }
  });

  it('stop-words and broken Chinese bigrams lift nothing', () => {
    const ecn = [f('tcp.ecn_negotiation', 'info')];
    for (const symptom of ['we cannot reach that service in any way', 'the service fails for our users, no way to reach it', '服务器访问不了的问题', '我们的用户访问服务一直有问题']) {
      const m = matchCases(index, ecn, symptom);
      expect([symptom, m.answer, m.candidates.length]).toEqual([symptom, null, 0]);
    }
    expect(symptomWeight('reach')).toBeLessThan(0.2);
    expect(symptomWeigher('服务器访问不了的问题')('器访')).toBeLessThan(0.2);
    expect(symptomWeigher('服务器访问不了的问题')('访问')).toBeLessThan(0.2);
    expect(symptomWeigher('那家厂商的接口')('厂商')).toBe(1);
    expect(symptomWeight('2012')).toBe(1);
    expect(symptomWeight('厂商')).toBe(1);
  });

  it('no answer says why: a contradiction, a tie between unrelated pages, weak evidence', () => {
    const contra = matchCases(index, [f('tcp.retransmission_rate', 'medium'), f('capture.one_direction_only', 'medium')], null);
    expect(contra.answer).toBe(null);
    expect(contra.noAnswer).toMatchObject({ reason: 'contradicted', closest: 'lossy-link-retransmissions', code: 'capture.one_direction_only', text: 'Closest page lossy-link-retransmissions, but capture.one_direction_only contradicts it.' });
    const tie = matchCases(index, [f('tcp.zero_window', 'high'), f('tcp.retransmission_rate', 'high')], null);
    expect(tie.noAnswer).toMatchObject({ reason: 'tie' });
    expect(tie.noAnswer?.text).toMatch(/fit equally well; the capture cannot tell them apart\.$/);
    const weak = matchCases(index, [f('tcp.rst_abort', 'low'), f('tcp.zero_window', 'medium')], null);
    expect(weak.answer).toBe('slow-receiver-zero-window');
    expect(weak.candidates[0]).toMatchObject({ confidence: 'likely', strength: 'match' });
  });

  it('confidence words: strong for a high cause, likely for a medium one, possible for the rest', () => {
    const high = matchCases(index, [f('tcp.ect_data_blackhole', 'critical'), f('tcp.ecn_negotiation', 'info')], null);
    expect(high.candidates[0]).toMatchObject({ id: '892443418260611', confidence: 'strong' });
    expect(high.candidates[0].because).toBe('The capture shows what this page is about: tcp.ect_data_blackhole (critical, frames 5, 6); with tcp.ecn_negotiation (info, frames 5, 6).');
    expect(high.candidates.slice(1).every((c) => c.confidence === 'possible')).toBe(true);
  });

  it('a page that lists a finding as supporting evidence does not win on it', () => {
    // http.error_status supports the slow-server page; alone it is not that page's cause.
    const m = matchCases(index, [f('http.error_status', 'medium')], null);
    expect(m.answer).toBe(null);
  });
});
