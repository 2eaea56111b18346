import { beforeAll, describe, expect, it } from 'vitest';
import { explainReasons } from '../../src/findings/explain.js';
import type { Finding } from '../../src/findings/finding.js';
import { findingText } from '../../src/findings/finding-text.js';
import { REASON_ROLES, reason, type ReasonId } from '../../src/findings/reasons.js';
import { REASONS_EN } from '../../src/findings/reasons-en.js';
import { REASONS_ZH } from '../../src/findings/reasons-zh.js';
import { englishRuns, factStrings, fixtureFindings } from './fixture-findings.js';

const CJK = /[\u4e00-\u9fff]/;

/** Every fact any reason reads, so each sentence can be rendered without a capture. */
const SAMPLE = { side: 'client', ectSegments: 3, plainRetransmits: 2, frame: 5, segments: 4, ecnSyns: 2, server: '192.0.2.1:80', plainFrame: 7, size: 1448, retransmits: 3, after: 1200, stallMs: 3000, from: '192.0.2.254', mtu: 1400, mss: 1460, requestFrame: 4, certFrame: 6, alert: 'certificate_required', ms: 900, bound: 700, handshakes: 1, acks: 2, connections: 2, issuer: 'Netcase Test Root CA', lost: 3, peer: '192.0.2.1:443', code: 'tcp.pmtud_blackhole' };

describe('reason sentences', () => {
  let findings: { capture: string; finding: Finding }[] = [];
  beforeAll(async () => {
    findings = await fixtureFindings();
  });

  it('the prose check finds English sentences and passes commands, names and protocol terms', () => {
    expect(englishRuns('服务器以 handshake failure alert was sent 结束')).toEqual(['handshake failure alert was sent']);
    expect(englishRuns('在主机上禁用 ECN（`netsh int tcp set global ecncapability=disabled`）后重试，签发者是“Netcase Test Root CA”', ['Netcase Test Root CA'])).toEqual([]);
  });

  it('every reason id has an English and a Chinese sentence, and no other key', () => {
    const ids = Object.keys(REASON_ROLES).sort();
    expect(Object.keys(REASONS_EN).sort()).toEqual(ids);
    expect(Object.keys(REASONS_ZH).sort()).toEqual(ids);
  });

  it('every Chinese sentence reads as Chinese, with both sides and both branches', () => {
    for (const id of Object.keys(REASON_ROLES) as ReasonId[]) {
      for (const facts of [SAMPLE, { ...SAMPLE, side: 'server', certFrame: 0, handshakes: 5 }]) {
        const text = REASONS_ZH[id](facts);
        expect(text, id).toMatch(CJK);
        expect(englishRuns(text, factStrings(facts)), `${id}: ${text}`).toEqual([]);
        expect(text, id).not.toContain('undefined');
      }
    }
  });

  it('English is exactly what analysis stored, for every finding of the fixture captures', () => {
    expect(findings.filter((x) => x.finding.reasons.length > 0).length).toBeGreaterThan(20);
    for (const { capture, finding: f } of findings) {
      expect(explainReasons(f.reasons, 'en'), capture).toEqual({ because: f.because, ruledOut: f.ruledOut, next: f.next });
      expect(findingText(f, 'en'), capture).toEqual({ title: f.title, summary: f.summary, because: f.because, ruledOut: f.ruledOut, next: f.next });
    }
  });

  it('Chinese because / ruled out / next for every finding of the fixture captures', () => {
    for (const { capture, finding: f } of findings) {
      const zh = findingText(f, 'zh');
      expect(zh.because === null, capture).toBe(f.because === null);
      expect(zh.ruledOut.length, capture).toBe(f.ruledOut.length);
      expect(zh.next === null, capture).toBe(f.next === null);
      const facts = factStrings(f.reasons.map((r) => r.facts));
      for (const text of [zh.because, ...zh.ruledOut, zh.next]) {
        if (text === null) continue;
        expect(text, capture).toMatch(CJK);
        expect(englishRuns(text, facts), `${capture}: ${text}`).toEqual([]);
      }
    }
  });

  it('a reason id this build does not know (a row stored by a later version) leaves the stored English', () => {
    const f = { code: 'tcp.rto_stall' as const, title: 'Transfer stalled until a timeout retransmission', summary: 's', reasons: [reason('next.capture_at_sender', { side: 'server' }), { id: 'next.future_reason' as ReasonId, facts: {} }], because: null, ruledOut: [], next: 'Capture at the server as well.' };
    expect(explainReasons(f.reasons, 'zh')).toBeNull();
    expect(findingText(f, 'zh')).toEqual({ title: '传输停顿，直到超时重传', summary: 's', because: null, ruledOut: [], next: 'Capture at the server as well.' });
  });
});
