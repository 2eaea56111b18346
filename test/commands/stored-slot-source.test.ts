import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import type { Analysis } from '../../src/analysis/analysis-types.js';
import type { FindingFacts } from '../../src/cases/match-cases.js';
import { loadCaseLibrary } from '../../src/cases/load-case-library.js';
import { CaseIndex } from '../../src/cases/search-cases.js';
import { commandContextOf } from '../../src/commands/command-context.js';
import { commandsForCapture, type CaptureCommands } from '../../src/commands/commands-for-capture.js';
import { platformOf } from '../../src/commands/platform-of.js';
import { findingForCase, type FindingLike, type SlotSource } from '../../src/commands/slot-source.js';
import { storedSlotSource } from '../../src/commands/stored-slot-source.js';
import { rankFindings } from '../../src/findings/finding.js';
import { attachCapture, requireCapture } from '../../src/investigations/captures.js';
import type { InvestigationsContext } from '../../src/investigations/context.js';
import { openInvestigation } from '../../src/investigations/lifecycle.js';
import { showInvestigation } from '../../src/investigations/queries.js';
import { runCaptureAnalysis } from '../../src/investigations/run-analysis.js';
import { openStore, type Store } from '../../src/store/open-store.js';

/**
 * The Slack card draws its commands from the store: the capture's findings, their facts, the
 * ranking, and the command context kept in the capture's summary. For real captures, every case
 * page's commands filled that way are the CLI's, filled from the whole analysis: the same text,
 * the same placeholders, the same platform first.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const LIBRARY = resolve(ROOT, 'case-library');
const F = (...path: string[]) => resolve(ROOT, 'test', 'fixtures', ...path);
const library = await loadCaseLibrary({ readdir, readFile }, LIBRARY);
const index = new CaseIndex(library.cases);

const CAPTURES = {
  'a short name tried under three suffixes (glibc)': F('matrix', 'app', 'shortname-glibc-v4-client.pcap'),
  'a short name tried by DNS, LLMNR and NetBIOS (Windows)': F('matrix', 'app', 'shortname-windows-v4-client.pcap'),
  'ECN-setup SYNs dropped, the fallback SYN answered': F('matrix', 'path', 'ecn-syn-fallback-v4-client.pcap'),
  'an incomplete certificate chain (TLS, SNI)': F('matrix', 'app', 'tls-chain-incomplete-curl-v4-client.pcap'),
  'a refused connection': F('matrix', 'tcp', 'refused-closed-v4-client.pcap'),
  'a stalled reverse lookup': F('matrix', 'app', 'ptr-slow-v4-server.pcap'),
  'a slow HTTP server (Host, path)': F('matrix', 'app', 'http-slow-5s-v4-client.pcap'),
  'HTTP from a Mac (User-Agent)': F('public', 'pcapplusplus-tests', 'three_http_streams.pcap'),
  'a pcapng naming its one interface': F('public', 'tcpdump-tests', 'dhcp-option-108.pcapng'),
};

/** What the card shows of the commands; the focus finding compared by what it is, not by identity. */
function shown(r: CaptureCommands) {
  const line = (c: CaptureCommands['primary'][number]) => ({ platform: c.platform, text: c.text, unfilled: c.unfilled });
  return { primary: r.primary.map(line), other: r.other.map(line), platform: r.platform, slots: r.slots, focus: r.focus === null ? null : { code: r.focus.code, flow: r.focus.flow } };
}

describe('commands filled from the store equal those filled from the live analysis', () => {
  let store: Store;
  let dir: string;
  const ctx = (): InvestigationsContext => ({ store, now: () => new Date('2026-12-05T09:00:00.000Z') });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netcase-stored-slots-'));
    store = await openStore({ kind: 'sqlite', file: join(dir, 'netcase.db') });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Recorded as the bot records an upload (runCaptureAnalysis), read back as resultFromStore reads it. */
  async function fromStore(path: string, n: number): Promise<SlotSource> {
    const inv = await openInvestigation(ctx(), { title: `capture ${n}` });
    const { capture } = await attachCapture(ctx(), inv.id, { name: path.split('/').at(-1)!, size: 1, sha256: n.toString(16).padStart(64, '0') });
    await runCaptureAnalysis(ctx(), capture.id, { index, path });
    const stored = await requireCapture(ctx(), capture.id);
    const d = await showInvestigation(ctx(), inv.id);
    const findings = rankFindings(d.findings.filter((f) => f.captureId === capture.id));
    const cases = d.matches.filter((m) => m.feedback !== 'wrong').map((m) => ({ id: m.caseId, why: m.why }));
    const answer = d.answerCaseId !== null && cases.some((m) => m.id === d.answerCaseId) ? d.answerCaseId : null;
    return { findings, findingFacts: findings.map((f) => (f as typeof f & { facts?: FindingFacts }).facts ?? {}), cases, answer, ...storedSlotSource(stored.summary) };
  }

  let n = 0;
  it.each(Object.entries(CAPTURES))('%s', async (_what, path) => {
    const [live] = await analyzeFile(path, { caseLibrary: LIBRARY });
    const stored = await fromStore(path, ++n);
    expect(stored.findings.map((f) => f.code)).toEqual(live.findings.map((f) => f.code));
    expect(stored.answer).toBe(live.answer);
    expect(stored.cases?.map((c) => c.id)).toEqual(live.cases.map((c) => c.id));
    for (const page of library.cases) {
      const label = `${page.id} on ${path.split('/').at(-1)}`;
      // The card's answer: focus from the answer page; the other pages: their first matched finding.
      expect(shown(commandsForCapture(page.commands, stored)), label).toEqual(shown(commandsForCapture(page.commands, live)));
      const focusStored = findingForCase(stored, page.id);
      const focusLive = findingForCase(live, page.id);
      if (focusLive !== null) expect(shown(commandsForCapture(page.commands, stored, focusStored)), label).toEqual(shown(commandsForCapture(page.commands, live, focusLive)));
    }
  });

  it('the stored context is what fills them: without it (a row recorded before) the suffix list stays a placeholder', async () => {
    const path = CAPTURES['a short name tried under three suffixes (glibc)'];
    const stored = await fromStore(path, ++n);
    const page = library.cases.find((c) => c.id === 'dns-suffix-search-list')!;
    const withContext = commandsForCapture(page.commands, stored);
    const without = commandsForCapture(page.commands, { ...stored, ...storedSlotSource(null), exchanges: undefined, flows: undefined, capture: undefined });
    expect(withContext.slots).toMatchObject({ short_name: expect.any(String), suffix_list: expect.any(Array) });
    expect(without.slots.short_name).toBeUndefined();
    expect([...without.primary, ...without.other].some((c) => c.unfilled.includes('suffix_list_plus_missing'))).toBe(true);
    expect([...withContext.primary, ...withContext.other].some((c) => c.unfilled.includes('short_name'))).toBe(false);
  });

  it('the interface name and the client\'s User-Agent come through the store', async () => {
    const pcapng = await fromStore(CAPTURES['a pcapng naming its one interface'], ++n);
    expect(pcapng.capture?.interfaces).toEqual([{ name: 'en0' }]);
    const mac = await fromStore(CAPTURES['HTTP from a Mac (User-Agent)'], ++n);
    const request = mac.exchanges!.http![0];
    expect(request.userAgent).toMatch(/^Mozilla\/5\.0 \(Macintosh; Intel Mac OS X 10_7_3\)/);
    // A finding about that client (the capture itself is healthy): the card, like the CLI, puts macOS first.
    const about: FindingLike = { code: 'http.slow_response', severity: 'medium', flow: { proto: 'tcp', orig: request.client, resp: request.server }, metrics: {} };
    const [live] = await analyzeFile(CAPTURES['HTTP from a Mac (User-Agent)']);
    expect(platformOf({ ...mac, findings: [about], findingFacts: [{}] })).toEqual(platformOf({ ...live, findings: [about], findingFacts: [{}] }));
    expect(platformOf({ ...mac, findings: [about], findingFacts: [{}] }).platforms[0]).toBe('macos');
  });
});

describe('storedSlotSource', () => {
  it('a summary recorded before the command context was kept, or none, gives nothing', () => {
    expect(storedSlotSource(null)).toEqual({});
    expect(storedSlotSource(undefined)).toEqual({});
    expect(storedSlotSource({ hosts: ['10.0.0.1'], vantage: null })).toEqual({});
    expect(storedSlotSource({ commandContext: { version: 2, names: [] } })).toEqual({});
    expect(storedSlotSource({ commandContext: 'garbage' })).toEqual({});
  });

  it('an entry missing what it needs is left out; a missing list is empty', () => {
    const s = storedSlotSource({
      commandContext: {
        version: 1,
        names: [{ protocol: 'dns', client: '10.0.0.1:5353', server: '10.0.0.53:53', name: 'a.corp', qtype: 1, queryFrame: 3, rcode: 3, status: 'answered', responseTimeMs: 2 }, { protocol: 'smtp' }, null],
        tls: [{ client: '10.0.0.1:50000', server: '10.0.0.2:443' }],
        http: [{ client: '10.0.0.1:50001', server: '10.0.0.2:80', host: 'h', uri: '/' }],
        flows: [{ proto: 'tcp', orig: '10.0.0.1:50000', resp: '10.0.0.2:443', origSide: { initialTtl: 64 } }, { proto: 'sctp', orig: 'a', resp: 'b' }],
      },
    });
    expect(s.exchanges?.dns).toEqual([{ protocol: 'dns', client: '10.0.0.1:5353', server: '10.0.0.53:53', name: 'a.corp', qtype: 1, queryFrame: 3, rcode: 3, status: 'answered', responseTimeMs: 2, retransmitFrames: [], answers: [] }]);
    expect(s.exchanges?.tls).toEqual([]);
    expect(s.exchanges?.http).toEqual([{ client: '10.0.0.1:50001', server: '10.0.0.2:80', host: 'h', uri: '/', userAgent: '' }]);
    expect(s.flows).toEqual([{ proto: 'tcp', orig: '10.0.0.1:50000', resp: '10.0.0.2:443', origSide: { initialTtl: 64 }, respSide: {} }]);
    expect(s.capture).toEqual({ interfaces: [] });
  });
});

describe('commandContextOf', () => {
  const name = (i: number) => ({ protocol: 'dns' as const, client: `10.0.${i >> 8}.${i & 255}:40000`, server: '10.0.0.53:53', name: `host-${i}.${'x'.repeat(200)}.corp`, qtype: 1, queryFrame: i + 1, rcode: 3, status: 'answered' as const, responseTimeMs: 1, retransmitFrames: [i + 2, i + 3], answers: Array.from({ length: 20 }, (_, k) => `10.1.0.${k}`) });
  const flow = (i: number) => ({ proto: 'tcp' as const, orig: `10.0.${i >> 8}.${i & 255}:40000`, resp: '10.9.9.9:443', origSide: { packets: 3, bytes: 180, initialTtl: 64, ttl: 64 }, respSide: { packets: 0, bytes: 0 } });
  const huge: Pick<Analysis, 'exchanges' | 'flows' | 'capture'> = {
    exchanges: {
      dns: Array.from({ length: 5000 }, (_, i) => name(i)) as Analysis['exchanges']['dns'],
      tls: Array.from({ length: 5000 }, (_, i) => ({ client: `10.0.0.${i % 200}:${40000 + i}`, server: '10.9.9.9:443', sni: 'shop.corp' })) as unknown as Analysis['exchanges']['tls'],
      http: Array.from({ length: 5000 }, (_, i) => ({ client: '10.0.0.1:40000', server: '10.9.9.9:80', host: 'shop.corp', uri: `/${i}?token=secret`, userAgent: `agent ${i % 3}` })) as unknown as Analysis['exchanges']['http'],
    },
    flows: Array.from({ length: 5000 }, (_, i) => flow(i)) as unknown as Analysis['flows'],
    capture: { interfaces: Array.from({ length: 50 }, (_, i) => ({ id: i, linkType: 1, snaplen: 65535, tsResolution: 'us', drops: null, name: `eth${i}` })) } as unknown as Analysis['capture'],
  };

  it('a capture of any size stores about 32 KB at most, the analysis\'s first entries in its order', () => {
    const context = commandContextOf([huge]);
    expect(JSON.stringify(context).length).toBeLessThanOrEqual(32_768);
    expect(context.names[0]).toMatchObject({ name: huge.exchanges.dns[0].name, retransmitFrames: [2], answers: ['10.1.0.0', '10.1.0.1', '10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6', '10.1.0.7'] });
    expect(context.names.map((t) => t.queryFrame)).toEqual(context.names.map((_, i) => i + 1));
    expect(context.flows[0]).toEqual({ proto: 'tcp', orig: '10.0.0.0:40000', resp: '10.9.9.9:443', origSide: { initialTtl: 64 }, respSide: {} });
    expect(context.interfaces).toHaveLength(8);
  });

  it('keeps of the HTTP requests the first of each conversation and of each User-Agent of a client, paths without their query', () => {
    const context = commandContextOf([huge]);
    expect(context.http).toEqual([0, 1, 2].map((i) => ({ client: '10.0.0.1:40000', server: '10.9.9.9:80', host: 'shop.corp', uri: `/${i}`, userAgent: `agent ${i}` })));
    expect(context.tls.length).toBeLessThanOrEqual(16);
  });
});
