import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import type { Analysis } from '../../src/analysis/analysis-types.js';
import type { CaseCommand } from '../../src/cases/case.js';
import { loadCaseLibrary } from '../../src/cases/load-case-library.js';
import { commandsForCapture } from '../../src/commands/commands-for-capture.js';
import { orderCommands } from '../../src/commands/order-commands.js';
import { platformOf } from '../../src/commands/platform-of.js';
import type { FindingLike, SlotSource } from '../../src/commands/slot-source.js';

/** The platform a capture points to comes first; read-only checks before changes. */
const ROOT = resolve(import.meta.dirname, '..', '..');
const LIBRARY = resolve(ROOT, 'case-library');
const F = (...path: string[]) => resolve(ROOT, 'test', 'fixtures', ...path);
const library = await loadCaseLibrary({ readdir, readFile }, LIBRARY);
const page = (id: string) => library.cases.find((c) => c.id === id)!;
const first = async (path: string) => (await analyzeFile(path, { caseLibrary: LIBRARY }))[0];
/** The first HTTP request's client as the focus (a healthy capture has no finding to name it). */
const aboutFirstRequest = (a: Analysis): FindingLike => ({ code: 'http.slow_response', severity: 'medium', flow: { proto: 'tcp', orig: a.exchanges.http[0].client, resp: a.exchanges.http[0].server }, metrics: {} });

describe('platformOf', () => {
  it('TTL 64 on both sides of a Linux lab capture: Linux and the other TTL-64 systems', async () => {
    const guess = platformOf(await first(F('matrix', 'app', 'tls-chain-incomplete-curl-v4-client.pcap')));
    expect(guess).toEqual({ client: 'unix', server: 'unix', platforms: ['linux', 'macos', 'android', 'ios'], because: ['client initial TTL 64', 'server initial TTL 64'] });
  });

  it('a Windows client (TTL 128) to a Linux server (TTL 64): Windows first, then the server\'s', async () => {
    const guess = platformOf(await first(F('public', 'pcapplusplus-tests', 'tls.pcap')));
    expect(guess.client).toBe('windows');
    expect(guess.server).toBe('unix');
    expect(guess.platforms).toEqual(['windows', 'windows-server', 'linux', 'macos']);
  });

  it('no TCP to read a TTL from, but NetBIOS and LLMNR after DNS failed: Windows', async () => {
    const guess = platformOf(await first(F('matrix', 'app', 'shortname-windows-v4-client.pcap')));
    expect(guess).toMatchObject({ client: 'windows', server: null, because: ['client asks names by NBNS'] });
  });

  it('DNS only, from a Linux resolver: unknown, so nothing is pushed behind the button', async () => {
    const a = await first(F('matrix', 'app', 'shortname-glibc-v4-client.pcap'));
    expect(platformOf(a).platforms).toEqual([]);
    const r = commandsForCapture(page('dns-suffix-search-list').commands, a);
    expect(r.other).toEqual([]);
    expect(r.primary.map((c) => c.effect)).toEqual(['check', 'check', 'check', 'replace', 'replace', 'replace', 'replace', 'replace']);
  });

  it('the focus finding\'s own TTL facts win over the flows', () => {
    const finding: FindingLike = { code: 'tcp.syn_rejected', severity: 'medium', flow: { proto: 'tcp', orig: '10.9.0.1:50000', resp: '10.9.0.2:8444' }, metrics: {} };
    expect(platformOf({ findings: [finding], findingFacts: [{ client_ttl_class: 128, server_ttl_class: 255 }] })).toEqual({
      client: 'windows',
      server: 'network-device',
      platforms: ['windows', 'windows-server', 'network-device'],
      because: ['client initial TTL 128', 'server initial TTL 255'],
    });
  });
});

describe('orderCommands', () => {
  const c = (platform: string, effect: CaseCommand['effect'], command: string): CaseCommand => ({ platform, shell: 'bash', command, purpose: 'p', purposeZh: '用途', effect, risk: effect === 'check' ? 'none' : 'r', riskZh: effect === 'check' ? '无' : '风险', reboot: false });
  const commands = [c('linux', 'change', 'l-change'), c('windows', 'replace', 'w-replace'), c('windows-server', 'check', 's-check'), c('linux', 'check', 'l-check'), c('windows', 'check', 'w-check'), c('network-device', 'change', 'n-change')];

  it('the guessed platforms first, checks before changes before replacements; the rest behind the button', () => {
    const r = orderCommands(commands, { platforms: ['windows', 'windows-server'] });
    expect(r.primary.map((x) => x.command)).toEqual(['w-check', 's-check', 'w-replace']);
    expect(r.other.map((x) => x.command)).toEqual(['l-check', 'l-change', 'n-change']);
  });

  it('an unknown platform shows everything, checks first, in page order otherwise', () => {
    const r = orderCommands(commands, { platforms: [] });
    expect(r.primary.map((x) => x.command)).toEqual(['s-check', 'l-check', 'w-check', 'l-change', 'n-change', 'w-replace']);
    expect(r.other).toEqual([]);
  });

  it('on a real Windows-client capture the Windows checks of the SYN-drop page come first', async () => {
    const a = await first(F('public', 'pcapplusplus-tests', 'unidirectional_tcp_stream_with_missing_packet.pcap'));
    const r = commandsForCapture(page('syn-dropped-by-firewall').commands, a);
    expect(r.platform.client).toBe('windows');
    expect(r.primary.map((x) => [x.platform, x.effect])).toEqual([['windows', 'check'], ['windows-server', 'check'], ['windows-server', 'change']]);
    expect(r.primary[0].text).toBe('Test-NetConnection service.zap.co.il -Port 80');
    expect(r.other.every((x) => x.platform === 'linux')).toBe(true);
  });
});

describe('platformOf: the client\'s User-Agent after the TTL class', () => {
  it('TTL 64 and a Mac browser: macOS first, then the other TTL-64 systems', async () => {
    const a = await first(F('public', 'pcapplusplus-tests', 'three_http_streams.pcap'));
    const guess = platformOf(a, aboutFirstRequest(a));
    expect(guess).toEqual({ client: 'macos', server: 'unix', platforms: ['macos', 'linux', 'android', 'ios'], because: ['client initial TTL 64', 'client User-Agent says macOS', 'server initial TTL 64'] });
  });

  it('TTL 64 and Firefox on X11 Linux: Linux', async () => {
    const a = await first(F('public', 'zeek-traces', 'http-fake-content-length.pcap'));
    expect(platformOf(a, aboutFirstRequest(a))).toMatchObject({ client: 'linux', platforms: ['linux', 'macos', 'android', 'ios'], because: ['client initial TTL 64', 'client User-Agent says Linux', 'server initial TTL 64'] });
  });

  it('TTL 128 and a Windows browser: Windows, on the TTL alone (the User-Agent adds nothing)', async () => {
    const a = await first(F('public', 'pcapplusplus-tests', 'unidirectional_tcp_stream_with_missing_packet.pcap'));
    expect(a.exchanges.http[0].userAgent).toBe('Mozilla/5.0 (Windows NT 10.0; rv:52.0) Gecko/20100101 Firefox/52.0');
    const guess = platformOf(a);
    expect(guess.client).toBe('windows');
    expect(guess.because).not.toContain('client User-Agent says Windows');
  });

  it('curl names no OS: the TTL class stays as it was', async () => {
    const a = await first(F('matrix', 'app', 'http-slow-5s-v4-client.pcap'));
    expect(a.exchanges.http[0].userAgent).toBe('curl/7.88.1');
    expect(platformOf(a)).toMatchObject({ client: 'unix', because: ['client initial TTL 64', 'server initial TTL 64'] });
  });

  it('TTL 64 and an Android User-Agent: Android first, and the page\'s Android command leads', async () => {
    const a = await first(F('matrix', 'app', 'http-slow-5s-v4-client.pcap'));
    const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
    const phone: SlotSource = { ...a, exchanges: { ...a.exchanges, http: a.exchanges.http.map((x) => ({ ...x, userAgent: android })) } };
    const guess = platformOf(phone);
    expect(guess).toMatchObject({ client: 'android', platforms: ['android', 'linux', 'macos', 'ios'], because: ['client initial TTL 64', 'client User-Agent says Android', 'server initial TTL 64'] });
    const withAndroid = library.cases.find((c) => c.commands.some((x) => x.platform === 'android'));
    if (withAndroid !== undefined) expect(commandsForCapture(withAndroid.commands, phone).primary[0].platform).toBe('android');
  });

  it('the TTL wins where it disagrees: TTL 64 with a Windows User-Agent (a proxy, a spoofed header) stays unix', async () => {
    const a = await first(F('matrix', 'app', 'http-slow-5s-v4-client.pcap'));
    const spoofed: SlotSource = { ...a, exchanges: { ...a.exchanges, http: a.exchanges.http.map((x) => ({ ...x, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' })) } };
    expect(platformOf(spoofed)).toMatchObject({ client: 'unix', because: ['client initial TTL 64', 'server initial TTL 64'] });
  });

  it('no TTL known for the client: the User-Agent decides, before NetBIOS or LLMNR', () => {
    const finding: FindingLike = { code: 'http.slow_response', severity: 'medium', flow: { proto: 'tcp', orig: '10.9.0.1:50000', resp: '10.9.0.2:80' }, metrics: {} };
    const http = [{ client: '10.9.0.1:50000', server: '10.9.0.2:80', host: 'app', uri: '/', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)' }];
    const nbns = [{ protocol: 'nbns' as const, client: '10.9.0.1:137', server: '10.9.0.255:137', name: 'APP<20>', qtype: 32, queryFrame: 1, rcode: -1, answers: [], status: 'unanswered' as const, responseTimeMs: -1, retransmitFrames: [] }];
    expect(platformOf({ findings: [finding], exchanges: { http, dns: nbns } })).toEqual({ client: 'ios', server: null, platforms: ['ios', 'linux', 'macos', 'android'], because: ['client User-Agent says iOS'] });
    expect(platformOf({ findings: [finding], exchanges: { http: [], dns: nbns } }).because).toEqual(['client asks names by NBNS']);
  });
});
