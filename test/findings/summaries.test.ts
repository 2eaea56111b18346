import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { findingText, messageOf, renderMessage } from '../../src/findings/finding-text.js';
import { message, type Message } from '../../src/findings/messages.js';
import { SUMMARIES_EN } from '../../src/findings/summaries-en.js';
import { SUMMARIES_ZH } from '../../src/findings/summaries-zh.js';
import { englishRuns, factStrings, fixtureFindings } from './fixture-findings.js';

/**
 * Summaries are messages (an id and facts) rendered by a catalog per language. The English is what
 * analysis stores: the golden holds every fixture capture's summaries as the checks wrote them
 * before the words moved into the catalog (NETCASE_UPDATE_GOLDEN=1 rewrites it, to review in the diff).
 */
const GOLDEN = resolve(import.meta.dirname, 'summaries.golden.json');
const CJK = /[\u4e00-\u9fff]/;

/** The closed choices some facts make, to render every branch of a sentence. */
const CHOICES: Record<string, string[]> = { side: ['client', 'server'], cause: ['pmtud', 'spurious', 'loss'], outcome: ['none', 'answer', 'error'], ending: ['closed', 'reset', 'open'] };

/** A message and its neighbours: each yes/no fact turned over, each count at 0 and 1, each choice made otherwise, each text empty. */
function variants(m: Message): Message[] {
  const facts = m.facts as Record<string, unknown>;
  const out: Message[] = [m];
  const withFact = (k: string, v: unknown) => out.push({ id: m.id, facts: { ...facts, [k]: v } } as Message);
  for (const [k, v] of Object.entries(facts)) {
    if (typeof v === 'boolean') withFact(k, !v);
    else if (typeof v === 'number') [0, 1, 1000].forEach((x) => withFact(k, x));
    else if (typeof v === 'string' && k in CHOICES) CHOICES[k].forEach((x) => withFact(k, x));
    else if (typeof v === 'string') withFact(k, '');
    else if (Array.isArray(v) && v.length > 0) withFact(k, v.slice(0, 1));
  }
  return out;
}

describe('summary messages', () => {
  let findings: { capture: string; finding: Finding }[] = [];
  beforeAll(async () => {
    findings = await fixtureFindings();
  });

  it('every message id has an English and a Chinese sentence, and no other key', () => {
    expect(Object.keys(SUMMARIES_ZH).sort()).toEqual(Object.keys(SUMMARIES_EN).sort());
  });

  it('every finding of the fixture captures carries a message whose English is its stored summary, byte for byte', () => {
    expect(findings.length).toBeGreaterThan(500);
    for (const { capture, finding: f } of findings) {
      expect(f.message, `${capture} ${f.code}`).not.toBeNull();
      expect(renderMessage(f.message as Message, 'en'), capture).toBe(f.summary);
      expect(findingText(f, 'en').summary, capture).toBe(f.summary);
      // The id names its finding code (a code with several shapes of summary adds what tells them apart).
      expect(`${(f.message as Message).id}.`.startsWith(`${f.code}.`), capture).toBe(true);
    }
  });

  it('the English summaries are the ones the checks wrote before the catalog (golden)', () => {
    const now: Record<string, string[]> = {};
    for (const { capture, finding: f } of findings) (now[capture] ??= []).push(`${f.code}: ${f.summary}`);
    if (process.env.NETCASE_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(now, null, 1)}\n`);
    expect(now).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  it('most message ids are exercised by the fixture captures', () => {
    const seen = new Set(findings.map(({ finding: f }) => (f.message as Message).id));
    // capture.state_limits_hit needs a capture past the flow engine's caps; it has its own case below.
    expect(Object.keys(SUMMARIES_EN).filter((id) => !seen.has(id as Message['id']))).toEqual(['capture.state_limits_hit']);
  });

  it('the Chinese summary of every fixture finding, in every branch, reads as Chinese', () => {
    const examples = new Map<string, Message>();
    for (const { finding: f } of findings) examples.set((f.message as Message).id, f.message as Message);
    examples.set('capture.state_limits_hit', message('capture.state_limits_hit', { limits: ['tcpUntracked 12', 'udpUntracked 3'] }));
    let rendered = 0;
    for (const m of [...examples.values()].flatMap(variants)) {
      const zh = renderMessage(m, 'zh');
      const en = renderMessage(m, 'en');
      const facts = factStrings(m.facts);
      expect(zh, m.id).toMatch(CJK);
      expect(`${zh} ${en}`, m.id).not.toMatch(/undefined|NaN|\[object/);
      expect(englishRuns(zh, facts), `${m.id}: ${zh}`).toEqual([]);
      rendered++;
    }
    expect(rendered).toBeGreaterThan(300);
    for (const { capture, finding: f } of findings) {
      const zh = findingText(f, 'zh');
      expect(zh.summary, capture).toMatch(CJK);
      expect(englishRuns(zh.summary, factStrings((f.message as Message).facts)), `${capture}: ${zh.summary}`).toEqual([]);
    }
  });

  it('a summary keeps its numbers, endpoints and frames in Chinese', () => {
    const m = message('tcp.syn_rejected.icmp', { connections: 2, server: '[2001:db8::2]:443', host: '2001:db8::2', port: 443, from: '2001:db8::fe', ipv6: true, icmpType: 1, icmpCode: 4, frame: 8, atServer: false });
    expect(renderMessage(m, 'en')).toBe(
      '2 connection attempts to [2001:db8::2]:443 were refused by 2001:db8::fe with an ICMPv6 destination unreachable (type 1 code 4, frame 8): a firewall\'s reject rule on the way, or no route. Check the firewall rules for this port between the two hosts (Test-NetConnection 2001:db8::2 -Port 443 / nc -vz).',
    );
    expect(renderMessage(m, 'zh')).toBe(
      '发往 [2001:db8::2]:443 的 2 次连接尝试被 2001:db8::fe 以 ICMPv6 目标不可达拒绝（type 1 code 4，第 8 帧）：途中防火墙的拒绝规则，或者没有路由。请检查两台主机之间该端口的防火墙规则（`Test-NetConnection 2001:db8::2 -Port 443` / `nc -vz`）。',
    );
  });

  it('a stored message this build cannot render leaves the stored English summary', () => {
    expect(messageOf(null)).toBeNull();
    expect(messageOf({ id: 'tcp.future_message', facts: {} })).toBeNull();
    expect(messageOf({ id: 'toString', facts: {} })).toBeNull();
    expect(messageOf({ id: 'tcp.zero_window' })).toBeNull();
    const base = { code: 'tcp.zero_window' as const, title: 'Receiver advertised a zero window', summary: 'stored English', reasons: [], because: null, ruledOut: [], next: null };
    expect(findingText({ ...base, message: null }, 'zh').summary).toBe('stored English');
    expect(findingText({ ...base, message: { id: 'tcp.future_message', facts: {} } as unknown as Message }, 'zh').summary).toBe('stored English');
    // Facts of another shape (a row written by another version): English rather than a crash.
    expect(findingText({ ...base, message: { id: 'dns.no_response', facts: { queries: 2 } } as unknown as Message }, 'zh').summary).toBe('stored English');
    expect(findingText({ ...base, message: message('tcp.zero_window', { zeroWindows: 3, probes: 1 }) }, 'zh')).toMatchObject({ title: '接收方通告零窗口', summary: expect.stringContaining('3 次降到零') });
  });
});
