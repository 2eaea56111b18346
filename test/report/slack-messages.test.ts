import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { makeFinding } from '../../src/findings/finding.js';
import { code, codeBlock, esc } from '../../src/report/mrkdwn.js';
import { LIMITS } from '../../src/report/slack-blocks.js';
import { resultMessage } from '../../src/report/slack-result.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('mrkdwn escaping', () => {
  it('escapes Slack control characters so names cannot mention anyone or forge links', () => {
    expect(esc('<!channel> & <@U1|x> <https://evil|ok>')).toBe('&lt;!channel&gt; &amp; &lt;@U1|x&gt; &lt;https://evil|ok&gt;');
    expect(code('a`b<c>')).toBe("`a'b&lt;c&gt;`");
    expect(codeBlock('echo ```; <x>')).toBe("```echo '''; &lt;x&gt;```");
  });
});

describe('the findings message respects Slack limits', () => {
  it('200 long findings and long commands fit in 50 blocks and 12,000 characters; the rest is marked for the report', () => {
    const findings = Array.from({ length: 200 }, (_, i) => makeFinding('tcp.retransmission_rate', { summary: `retransmissions on flow ${i} `.repeat(40), frames: Array.from({ length: 30 }, (_, f) => f + 1), severity: 'high' }));
    const commands = Array.from({ length: 40 }, (_, i) => ({ platform: i % 2 ? 'linux' : 'windows', shell: 'bash', command: `long command ${i} `.repeat(30), purpose: 'p'.repeat(300), purposeZh: '用'.repeat(300), effect: 'check' as const, risk: 'none', riskZh: '无', reboot: false }));
    const m = resultMessage({
      lang: 'en', investigationId: 'NC-AAAAAA', captureId: 'c1', captureName: 'big.pcap', packets: 1e6, durationS: 60, hosts: Array.from({ length: 20 }, (_, i) => `10.0.0.${i}`), vantage: 'v'.repeat(1000),
      findings, matches: [{ id: 'lossy-link-retransmissions', title: 'Lossy link', score: 0.9, strength: 'match', confidence: 'strong', because: 'x'.repeat(400), evidence: { causes: [], supports: [], contradicts: [], symptomWords: [], looksLike: [] }, related: [], why: { codes: ['tcp.retransmission_rate'], words: [], fields: [] }, commands }], answer: 'lossy-link-retransmissions', caseTitle: (_id, t) => t,
    });
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(JSON.stringify(m.blocks).length).toBeLessThanOrEqual(LIMITS.messageText);
    for (const b of m.blocks) if ((b as { type: string }).type === 'section') expect(((b as { text: { text: string } }).text.text).length).toBeLessThanOrEqual(LIMITS.section);
    expect(m.overflow).toBe(true);
    expect(JSON.stringify(m.blocks)).toContain('More in *Export report*.');
    expect(JSON.stringify(m.blocks)).toContain('192 more finding(s)');
    expect((m.blocks.at(-2) as { type: string }).type).toBe('actions');
  });
});

describe('manifest.yml', () => {
  const manifest = YAML.parse(readFileSync(resolve(ROOT, 'manifest.yml'), 'utf8'));
  const app = readFileSync(resolve(ROOT, 'src', 'slack', 'app.ts'), 'utf8');

  it('asks only for the scopes the bot uses and subscribes to the events it handles', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:read', 'files:write', 'groups:history', 'im:history']);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(typeof manifest.settings.socket_mode_enabled).toBe('boolean');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    for (const url of [manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url, manifest.features.slash_commands[0].url]) expect(url).toMatch(/\/slack\/events$/);
  });

  it('names the command and the shortcuts the app listens for', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/netcase']);
    expect(app).toContain("app.command('/netcase'");
    for (const s of manifest.features.shortcuts as { callback_id: string; type: string }[]) {
      expect(s.type).toBe('message');
      expect(app).toContain(`app.shortcut('${s.callback_id}'`);
    }
    expect(manifest.features.shortcuts.map((s: { name: string }) => s.name)).toEqual(['Analyse with netcase', 'Resolve netcase investigation']);
  });
});

describe('a finding that defers to its cause', () => {
  it('says on the card which finding explains it; a cause does not repeat its evidence', async () => {
    const { findingBlock } = await import('../../src/report/slack-result.js');
    const { analyzeFile } = await import('../../src/analysis/analyze-file.js');
    const [a] = await analyzeFile(resolve(ROOT, 'test', 'fixtures', 'matrix', 'path', 'ect-stateful-resp-v4-server.pcap'));
    const text = (code: string) => JSON.stringify(findingBlock(a.findings.find((f) => f.code === code)!, 'en'));
    expect(text('tcp.rto_stall')).toContain('↳ A symptom of tcp.ect_data_blackhole on the same connection, which explains it.');
    expect(text('tcp.ect_data_blackhole')).not.toContain('↳');
  });
});
