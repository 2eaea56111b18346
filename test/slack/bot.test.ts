import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/main/bot.js';
import { showInvestigation } from '../../src/investigations/queries.js';
import { FAKE_TOKEN, startFakeSlack, type ApiCall, type FakeSlack } from './fake-slack.js';
import { postCommand, postEvent, postInteraction, signedPost, eventBody, SIGNING_SECRET } from './signed.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCENARIO = (name: string) => readFileSync(resolve(ROOT, 'test', 'fixtures', 'scenarios', name));

/** Every block text of a message, joined: what a user would read. */
function textOf(call: ApiCall): string {
  return JSON.stringify(call.args.blocks ?? '') + String(call.args.text ?? '');
}

function fileEvent(fake: FakeSlack, o: { channel?: string; ts: string; threadTs?: string; text?: string; files: { id: string; name: string; kind?: Parameters<FakeSlack['fileUrl']>[1]; filetype?: string; mimetype?: string }[] }) {
  return {
    type: 'message',
    subtype: 'file_share',
    channel: o.channel ?? 'CNET',
    user: 'UALICE',
    ts: o.ts,
    ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
    text: o.text ?? '',
    files: o.files.map((f) => ({ id: f.id, name: f.name, filetype: f.filetype ?? 'pcap', mimetype: f.mimetype ?? 'application/vnd.tcpdump.pcap', size: 1, mode: 'hosted', url_private_download: fake.fileUrl(f.id, f.kind) })),
  };
}

describe('the Slack bot against a fake Slack', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dir: string;
  const env = () => ({
    SLACK_BOT_TOKEN: FAKE_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_FILE_ORIGINS: fake.trustedOrigin,
    NETCASE_DB: join(dir, 'netcase.db'),
    NETCASE_SPOOL: join(dir, 'spool'),
    DIGEST_CHANNEL: 'CDIGEST',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
  });

  beforeAll(async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), 'netcase-bot-'));
    fake.files.set('FECN', SCENARIO('ecn-synack-blackhole.pcap'));
    fake.files.set('FDNS', SCENARIO('short-name-suffix.pcap'));
    fake.files.set('FREV', SCENARIO('reverse-dns-stall.pcap'));
    bot = await startBot(env(), { port: 0, write: process.env.TEST_LOG_LEVEL ? (l) => process.stderr.write(l) : () => {} });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts in HTTP mode after auth.test against SLACK_API_URL', () => {
    expect(bot.receiverKind).toBe('http');
    expect(bot.port).toBeGreaterThan(0);
    expect(fake.of('auth.test')).toHaveLength(1);
  });

  it('rejects a bad or stale signature', async () => {
    const body = eventBody(fileEvent(fake, { ts: '1.1', files: [{ id: 'FECN', name: 'x.pcap' }] }));
    expect((await signedPost(bot.port!, body, 'application/json', { secret: 'wrong' })).status).toBe(401);
    expect((await signedPost(bot.port!, body, 'application/json', { ageS: 600 })).status).toBe(401);
    expect(fake.of('chat.postMessage')).toHaveLength(0);
  });

  it('an upload becomes a thread with progress, then findings, the case and its commands; a retry starts nothing', async () => {
    const event = fileEvent(fake, { ts: '1700000100.000100', text: '2012 boxes can\'t reach the UTTS web service, 2008 R2 can', files: [{ id: 'FECN', name: 'server-2012.pcap' }] });
    const ack = await postEvent(bot.port!, event, 'EvUpload1');
    expect(ack.status).toBe(200);
    const status = await fake.until(() => fake.of('chat.postMessage').find((c) => c.args.thread_ts === '1700000100.000100'));
    expect(status.args).toMatchObject({ channel: 'CNET', unfurl_links: false, unfurl_media: false });
    expect(status.args.link_names).toBeUndefined();
    const final = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('tcp.ecn_synack_blackhole') && textOf(c).includes('892443418260611')));
    const text = textOf(final);
    expect(text).toContain('netsh int tcp set global ecncapability=disabled');
    expect(text).toMatch(/nc_resolve.*nc_useful.*nc_wrong.*nc_take.*nc_all_findings.*nc_report.*nc_again/);
    // Slack retries the same event: no second analysis, no second status message.
    const before = fake.of('chat.postMessage').length;
    expect((await postEvent(bot.port!, event, 'EvUpload1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.of('chat.postMessage').length).toBe(before);
    const [inv] = await bot.deps.inv.store.db.selectFrom('investigation').select(['id', 'title', 'owner', 'thread_ts']).where('thread_ts', '=', '1700000100.000100').execute();
    expect(inv).toMatchObject({ title: "2012 boxes can't reach the UTTS web service, 2008 R2 can", owner: 'UALICE' });
  });
});
