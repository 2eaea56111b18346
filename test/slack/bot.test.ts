import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/main/bot.js';
import { showInvestigation } from '../../src/investigations/queries.js';
import { FAKE_TOKEN, startFakeSlack, type ApiCall, type FakeSlack } from './fake-slack.mjs';
import { buildEtl } from '../capture/etl-builder.js';
import { hostileDnsCapture } from './hostile-capture.js';
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
    // The ladder diagram of the connection behind the top finding, uploaded into the thread with alt text.
    const picture = await fake.until(() => fake.of('files.getUploadURLExternal').find((c) => c.args.filename === 'ladder-tcp.ecn_synack_blackhole.png'));
    expect(String(picture.args.alt_text)).toMatch(/^Ladder diagram for tcp\.ecn_synack_blackhole \(.*\): \d+ frames between 10\.81\.1\.1:\d+ and 10\.81\.2\.2:7002/);
    const done = await fake.until(() => fake.of('files.completeUploadExternal').find((c) => c.args.thread_ts === '1700000100.000100'));
    expect(done.args.channel_id).toBe('CNET');
    expect(fake.uploads.some((u) => u.bytes.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))).toBe(true);
    // Slack retries the same event: no second analysis, no second status message.
    const before = fake.of('chat.postMessage').length;
    expect((await postEvent(bot.port!, event, 'EvUpload1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.of('chat.postMessage').length).toBe(before);
    const [inv] = await bot.deps.inv.store.db.selectFrom('investigation').select(['id', 'title', 'owner', 'thread_ts']).where('thread_ts', '=', '1700000100.000100').execute();
    expect(inv).toMatchObject({ title: "2012 boxes can't reach the UTTS web service, 2008 R2 can", owner: 'UALICE' });
  });

  it('a file posted as a reply in the thread attaches to the same investigation', async () => {
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700000100.000300', threadTs: '1700000100.000100', text: 'and one from a client', files: [{ id: 'FDNS', name: 'client.pcap' }] }));
    await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('dns.suffix_search_exhaustion')));
    const rows = await bot.deps.inv.store.db.selectFrom('investigation').select('id').where('thread_ts', '=', '1700000100.000100').execute();
    expect(rows).toHaveLength(1);
    const d = await showInvestigation(bot.deps.inv, rows[0].id);
    expect(d.captures.map((c) => [c.name, c.status, c.slackFileId])).toEqual([['server-2012.pcap', 'done', 'FECN'], ['client.pcap', 'done', 'FDNS']]);
    expect(d.symptom).toBe("2012 boxes can't reach the UTTS web service, 2008 R2 can\nand one from a client");
  });

  it('/netcase search answers privately through response_url, with a share button', async () => {
    const ack = await postCommand(bot.port!, { text: 'search ECN windows server 2012', channel_id: 'CNET', response_url: fake.responseUrl('search1') });
    expect(ack.status).toBe(200);
    const r = await fake.until(() => fake.responses.find((x) => x.path === '/respond/search1'));
    expect(r.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(r.body.blocks)).toContain('892443418260611');
    expect(JSON.stringify(r.body.blocks)).toContain('nc_share_case');
    await postCommand(bot.port!, { text: 'case pmtud-blackhole', channel_id: 'CNET', response_url: fake.responseUrl('case1') });
    const page = await fake.until(() => fake.responses.find((x) => x.path === '/respond/case1'));
    expect(JSON.stringify(page.body.blocks)).toMatch(/How to confirm.*Resolution/);
    await postCommand(bot.port!, { text: 'open', channel_id: 'CNET', response_url: fake.responseUrl('open1') });
    const open = await fake.until(() => fake.responses.find((x) => x.path === '/respond/open1'));
    expect(JSON.stringify(open.body.blocks)).toContain("2012 boxes can't reach");
  });

  it('the Resolve button opens the modal prefilled with the best case; saving resolves and posts a closing note', async () => {
    const [inv] = await bot.deps.inv.store.db.selectFrom('investigation').select(['id']).where('thread_ts', '=', '1700000100.000100').execute();
    const value = JSON.stringify({ i: inv.id, c: null, k: '892443418260611' });
    await postInteraction(bot.port!, { type: 'block_actions', team: { id: 'T1' }, user: { id: 'UBOB' }, api_app_id: 'A1', trigger_id: 'trig-resolve', channel: { id: 'CNET' }, message: { ts: '1700000100.000200', thread_ts: '1700000100.000100' }, actions: [{ type: 'button', action_id: 'nc_resolve', block_id: 'netcase_result', value }] });
    const opened = await fake.until(() => fake.of('views.open').find((c) => c.args.trigger_id === 'trig-resolve'));
    expect(JSON.stringify(opened.args.view)).toContain('"initial_value":"892443418260611"');
    const submit = (values: Record<string, string>) =>
      postInteraction(bot.port!, {
        type: 'view_submission', team: { id: 'T1' }, user: { id: 'UBOB' }, api_app_id: 'A1', trigger_id: 't',
        view: { id: 'V1', callback_id: 'nc_resolve_modal', private_metadata: JSON.stringify({ i: inv.id }), state: { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: { type: 'plain_text_input', value: v } }])) } },
      });
    const missing = await submit({ cause: '', fix: 'x', case: 'no-such-case' });
    expect(JSON.parse(missing.text)).toEqual({ response_action: 'errors', errors: { cause: 'Required', case: 'No case "no-such-case" in the library (leave it empty if none fits)' } });
    const ok = await submit({ cause: 'A firewall drops SYN-ACKs with ECE set', fix: 'Disabled ECN on the 2012 servers', commands: 'netsh int tcp set global ecncapability=disabled', ticket: '892443418260611', case: '892443418260611' });
    expect(ok.status).toBe(200);
    const note = await fake.until(() => fake.of('chat.postMessage').find((c) => c.args.thread_ts === '1700000100.000100' && textOf(c).includes('Resolved by <@UBOB>')));
    expect(textOf(note)).toContain('892443418260611');
    const d = await showInvestigation(bot.deps.inv, inv.id);
    expect(d).toMatchObject({ status: 'resolved', ticket: '892443418260611', resolution: { rootCause: 'A firewall drops SYN-ACKs with ECE set', caseId: '892443418260611' } });
  });

  it('buttons: take it, useful, wrong match (offers the next candidate), all findings, export report, analyse again edits the same message', async () => {
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700000200.000100', text: 'site slow on the first request', files: [{ id: 'FREV', name: 'iis.pcap' }] }));
    const final = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('648865412280611')));
    const statusTs = final.args.ts as string;
    const [inv] = await bot.deps.inv.store.db.selectFrom('investigation').select(['id']).where('thread_ts', '=', '1700000200.000100').execute();
    const [cap] = await bot.deps.inv.store.db.selectFrom('capture').select(['id']).where('investigation_id', '=', inv.id).execute();
    const click = (action: string, k: string | null = '648865412280611') =>
      postInteraction(bot.port!, { type: 'block_actions', team: { id: 'T1' }, user: { id: 'UCAROL' }, api_app_id: 'A1', trigger_id: 'trig', channel: { id: 'CNET' }, message: { ts: statusTs, thread_ts: '1700000200.000100' }, actions: [{ type: 'button', action_id: action, block_id: 'netcase_result', value: JSON.stringify({ i: inv.id, c: cap.id, k }) }] });
    const inThread = () => fake.of('chat.postMessage').filter((c) => c.args.thread_ts === '1700000200.000100');

    await click('nc_take');
    await fake.until(() => inThread().find((c) => textOf(c).includes('<@UCAROL> took this investigation')));
    await click('nc_useful');
    await fake.until(() => fake.of('chat.postEphemeral').find((c) => c.args.user === 'UCAROL' && textOf(c).includes('648865412280611 marked useful')));
    await click('nc_wrong');
    await fake.until(() => inThread().find((c) => textOf(c).includes('648865412280611 was the wrong match. Next candidate:')));
    await click('nc_all_findings');
    await fake.until(() => inThread().find((c) => textOf(c).includes('dns.ptr_lookup_stall')));
    await click('nc_report');
    await fake.until(() => fake.uploads.find((u) => u.bytes.toString('utf8').includes(`\n# ${inv.id}: site slow on the first request\n`)));
    const report = await fake.until(() => fake.of('files.getUploadURLExternal').find((c) => c.args.filename === `${inv.id}.md`));
    expect(String(report.args.alt_text)).toMatch(/^netcase report for investigation NC-\w{6}: \d+ findings$/);
    const d = await showInvestigation(bot.deps.inv, inv.id);
    expect(d.owner).toBe('UCAROL');
    expect(d.matches.find((m) => m.caseId === '648865412280611')?.feedback).toBe('wrong');

    const posts = fake.of('chat.postMessage').length;
    const updates = fake.of('chat.update').filter((c) => c.args.ts === statusTs).length;
    await click('nc_again');
    await fake.until(() => fake.of('files.info').find((c) => c.args.file === 'FREV'));
    await fake.until(() => {
      const edits = fake.of('chat.update').filter((c) => c.args.ts === statusTs);
      return edits.length >= updates + 2 && textOf(edits.at(-1)!).includes('nc_resolve');
    });
    const row = await bot.deps.inv.store.db.selectFrom('capture').select(['status', 'spool_path']).where('id', '=', cap.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'done', spool_path: null });
    expect(fake.of('chat.postMessage').length).toBe(posts);
  });

  it('names from a capture, file names and symptom text are escaped: nobody is pinged', async () => {
    fake.files.set('FHOST', hostileDnsCapture());
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700000300.000100', text: '<!channel> help & <b>now</b>', files: [{ id: 'FHOST', name: '<!here>.pcap' }] }));
    const final = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('dns.error_rcode') && textOf(c).includes('U0ADMIN')));
    const said = fake.calls.filter((c) => ['chat.postMessage', 'chat.update'].includes(c.method) && (c.args.thread_ts === '1700000300.000100' || c.args.ts === final.args.ts)).map(textOf).join('\n');
    expect(said).toContain('&lt;!channel&gt;.corp.example');
    expect(said).toContain('&lt;@U0ADMIN&gt;.corp.example');
    expect(said).toContain('&lt;!here&gt;.pcap');
    expect(said).not.toMatch(/<!channel>|<!here>|<@U0ADMIN>/);
  });

  it('downloads: an HTML answer means files:read is missing, an untrusted redirect is refused, a trusted one is followed without the token', async () => {
    fake.files.set('FLOGIN', SCENARIO('slow-server.pcap'));
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700000400.000100', files: [{ id: 'FLOGIN', name: 'a.pcap', kind: 'login' }] }));
    await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('missing the files:read scope')));
    fake.files.set('FSTEAL', SCENARIO('slow-server.pcap'));
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700000500.000100', files: [{ id: 'FSTEAL', name: 'b.pcap', kind: 'redirect-untrusted' }] }));
    const refused = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('not a trusted Slack file host')));
    expect(textOf(refused)).toContain(fake.untrustedOrigin);
    expect(fake.untrustedHits).toEqual([]);
    fake.files.set('FCDN', SCENARIO('slow-server.pcap'));
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700000600.000100', files: [{ id: 'FCDN', name: 'c.pcap', kind: 'redirect-trusted' }] }));
    await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('c.pcap') && textOf(c).includes('nc_resolve')));
    expect(fake.trustedHits.map((h) => [h.path, h.authorization])).toEqual([['/files2/FCDN', undefined]]);
  });

  it('Slack answering 429 with Retry-After and then 500 delays the final message, it does not lose it', async () => {
    fake.files.set('FBUSY', SCENARIO('syn-silent-drop.pcap'));
    fake.fail('chat.update', 2, 429, 1);
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700000700.000100', files: [{ id: 'FBUSY', name: 'busy.pcap' }] }));
    await fake.until(() => fake.of('chat.update#429').length >= 1);
    fake.fail('chat.update', 1, 500);
    const final = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('busy.pcap') && textOf(c).includes('nc_resolve')));
    expect(final).toBeDefined();
    expect(fake.of('chat.update#429').length + fake.of('chat.update#500').length).toBeGreaterThanOrEqual(2);
  });

  it('a mention in the thread adds to the symptom and re-ranks, saying what changed', async () => {
    fake.files.set('FMIX', SCENARIO('short-name-suffix.pcap'));
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700000800.000100', files: [{ id: 'FMIX', name: 'names.pcap' }] }));
    await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('names.pcap') && textOf(c).includes('dns-suffix-search-list')));
    await postEvent(bot.port!, { type: 'app_mention', channel: 'CNET', user: 'UALICE', ts: '1700000800.000200', thread_ts: '1700000800.000100', text: '<@UBOT> the clients are Windows and LLMNR NetBIOS fallback is slow' });
    const said = await fake.until(() => fake.of('chat.postMessage').find((c) => c.args.thread_ts === '1700000800.000100' && /ranking|Symptom added/.test(textOf(c))));
    expect(textOf(said)).toMatch(/The symptom changed the ranking: the best case was dns-suffix-search-list, now [\w-]+\.|Symptom added; the ranking did not change\./);
    const [inv] = await bot.deps.inv.store.db.selectFrom('investigation').select(['symptom']).where('thread_ts', '=', '1700000800.000100').execute();
    expect(inv.symptom).toBe('the clients are Windows and LLMNR NetBIOS fallback is slow');
  });

  it('App Home shows the user\'s open investigations', async () => {
    await postEvent(bot.port!, { type: 'app_home_opened', user: 'UALICE', channel: 'DHOME', tab: 'home' });
    const published = await fake.until(() => fake.of('views.publish').find((c) => c.args.user_id === 'UALICE'));
    const view = JSON.stringify(published.args.view);
    expect(view).toContain('Capture names.pcap');
    expect(view).not.toContain("2012 boxes can't reach");
    expect(view).not.toContain('site slow on the first request');
  });

  it('two bot processes on one database post each digest slot once', async () => {
    // A second bot process on the same database (role bot: in one test process two SQLite
    // workers would block each other's synchronous busy waits, which separate processes do not).
    const second = await startBot({ ...env(), NETCASE_ROLE: 'bot' }, { port: 0, write: () => {}, holder: 'second-bot' });
    try {
      const slot = new Date('2026-11-25T09:00:00Z');
      const before = fake.of('chat.postMessage').filter((c) => c.args.channel === 'CDIGEST').length;
      const posted = await Promise.all([bot.digestNow(slot), second.digestNow(slot), bot.digestNow(slot)]);
      expect(posted.filter(Boolean)).toHaveLength(1);
      const digests = fake.of('chat.postMessage').filter((c) => c.args.channel === 'CDIGEST');
      expect(digests.length - before).toBe(1);
      expect(textOf(digests.at(-1)!)).toMatch(/Open investigations: \d+/);
      expect(textOf(digests.at(-1)!)).toContain('https://netcase-test.slack.com/archives/CNET/p1700000200000100');
    } finally {
      await second.stop();
    }
  });

  it('other files are ignored quietly; an ETL trace gets the conversion that fits its content; an unreadable capture gets the reader\'s reason; several files are one investigation', async () => {
    fake.files.set('FIMG', Buffer.from('not looked at'));
    const before = fake.of('chat.postMessage').length;
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700001000.000100', files: [{ id: 'FIMG', name: 'screenshot.png', filetype: 'png', mimetype: 'image/png' }] }));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.of('chat.postMessage').length).toBe(before);
    expect(await bot.deps.inv.store.db.selectFrom('investigation').select('id').where('thread_ts', '=', '1700001000.000100').execute()).toEqual([]);

    // Synthetic ETL traces (test/capture/etl-builder.ts): a pktmon one, and a netsh trace one
    // under a name that says nothing. The status message in each thread gives the one conversion
    // that fits, and no Analyse again (the same file would give the same answer).
    fake.files.set('FETL', buildEtl({ logger: 'PktMon' }));
    fake.files.set('FNETSH', buildEtl({ logger: 'NetTrace' }));
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700001100.000100', files: [{ id: 'FETL', name: 'trace.etl', filetype: 'binary', mimetype: 'application/octet-stream' }] }));
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700001150.000100', files: [{ id: 'FNETSH', name: 'server.etl', filetype: 'binary', mimetype: 'application/octet-stream' }] }));
    const pktmon = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('trace.etl is a pktmon trace')));
    expect(JSON.stringify(pktmon.args.blocks)).toContain('trace.etl is a pktmon trace (a Windows ETL file), not a packet capture. Convert it with pktmon on Windows 10 2004 or later, then upload the .pcapng in this thread:\\n```pktmon etl2pcap trace.etl --out trace.pcapng```');
    const netsh = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('server.etl is a `netsh trace` file')));
    expect(textOf(netsh)).toContain('```etl2pcapng.exe server.etl server.pcapng```');
    for (const said of [pktmon, netsh]) {
      expect(textOf(said)).not.toContain('nc_again');
      expect(textOf(said).match(/```/g)).toHaveLength(2);
    }
    expect(textOf(pktmon)).not.toContain('etl2pcapng');
    expect(textOf(netsh)).not.toContain('pktmon etl2pcap');
    const [etlInv] = await bot.deps.inv.store.db.selectFrom('investigation').select('id').where('thread_ts', '=', '1700001100.000100').execute();
    expect((await showInvestigation(bot.deps.inv, etlInv.id)).captures).toMatchObject([{ name: 'trace.etl', status: 'failed', error: expect.stringContaining('pktmon etl2pcap trace.etl --out trace.pcapng') }]);

    fake.files.set('FBAD', Buffer.from('PK\u0003\u0004 this is not really a zip'));
    fake.files.set('FGOOD', SCENARIO('refused-v4-v6.pcap'));
    await postEvent(bot.port!, fileEvent(fake, { ts: '1700001200.000100', text: 'two files', files: [{ id: 'FBAD', name: 'broken.pcap' }, { id: 'FGOOD', name: 'good.pcap' }] }));
    const bad = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('Could not read broken.pcap')));
    expect(textOf(bad).split('Could not read broken.pcap: ')[1].length).toBeGreaterThan(5);
    await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('good.pcap') && textOf(c).includes('connection-refused')));
    const rows = await bot.deps.inv.store.db.selectFrom('investigation').select('id').where('thread_ts', '=', '1700001200.000100').execute();
    expect(rows).toHaveLength(1);
    const d = await showInvestigation(bot.deps.inv, rows[0].id);
    expect(d.captures.map((c) => [c.name, c.status])).toEqual([['broken.pcap', 'failed'], ['good.pcap', 'done']]);
    expect(d.status).toBe('open');
  });

  it('the message shortcut "Analyse with netcase" analyses a message posted before the bot joined', async () => {
    fake.files.set('FOLD', SCENARIO('port-exhaustion.pcap'));
    const file = fileEvent(fake, { ts: '1690000000.000100', files: [{ id: 'FOLD', name: 'old.pcap' }] }).files[0];
    await postInteraction(bot.port!, { type: 'message_action', callback_id: 'nc_analyse', trigger_id: 't', team: { id: 'T1' }, user: { id: 'UDAN' }, channel: { id: 'CNET' }, message_ts: '1690000000.000100', response_url: fake.responseUrl('sc1'), message: { type: 'message', user: 'UOLD', ts: '1690000000.000100', text: 'ports run out at night', files: [file] } });
    await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('old.pcap') && textOf(c).includes('ephemeral-port-exhaustion')));
    const [inv] = await bot.deps.inv.store.db.selectFrom('investigation').select(['title', 'owner']).where('thread_ts', '=', '1690000000.000100').execute();
    expect(inv).toEqual({ title: 'ports run out at night', owner: 'UOLD' });
  });

  it('/netcase resolve ID opens the form, /netcase digest posts now, and Share posts a case in the channel', async () => {
    const [inv] = await bot.deps.inv.store.db.selectFrom('investigation').select(['id']).where('thread_ts', '=', '1690000000.000100').execute();
    await postCommand(bot.port!, { text: `resolve ${inv.id.toLowerCase()}`, channel_id: 'CNET', trigger_id: 'trig-cmd', response_url: fake.responseUrl('r1') });
    const opened = await fake.until(() => fake.of('views.open').find((c) => c.args.trigger_id === 'trig-cmd'));
    expect(JSON.stringify(opened.args.view)).toContain('"initial_value":"ephemeral-port-exhaustion"');
    const digests = fake.of('chat.postMessage').filter((c) => c.args.channel === 'CDIGEST').length;
    await postCommand(bot.port!, { text: 'digest', channel_id: 'CNET', response_url: fake.responseUrl('d1') });
    await fake.until(() => fake.of('chat.postMessage').filter((c) => c.args.channel === 'CDIGEST').length > digests);
    await postInteraction(bot.port!, { type: 'block_actions', team: { id: 'T1' }, user: { id: 'U1' }, api_app_id: 'A1', trigger_id: 't', channel: { id: 'CNET' }, response_url: fake.responseUrl('share'), actions: [{ type: 'button', action_id: 'nc_share_case', block_id: 'b', value: JSON.stringify({ k: 'pmtud-blackhole' }) }] });
    const shared = await fake.until(() => fake.of('chat.postMessage').find((c) => c.args.channel === 'CNET' && c.args.thread_ts === undefined && textOf(c).includes('pmtud-blackhole')));
    expect(textOf(shared)).toContain('How to confirm');
  });

  it('NETCASE_CHANNELS limits where the bot acts; NETCASE_LANG=zh speaks Chinese and uses Chinese case titles', async () => {
    const zh = await startBot({ ...env(), NETCASE_DB: join(dir, 'zh.db'), NETCASE_CHANNELS: 'CZH', NETCASE_LANG: 'zh' }, { port: 0, write: () => {}, holder: 'zh-bot' });
    try {
      fake.files.set('FZH1', SCENARIO('tls-expired-cert.pcap'));
      fake.files.set('FZH2', SCENARIO('tls-expired-cert.pcap'));
      await postEvent(zh.port!, fileEvent(fake, { channel: 'COTHER', ts: '1700002000.000100', files: [{ id: 'FZH1', name: 'x.pcap' }] }));
      await postEvent(zh.port!, fileEvent(fake, { channel: 'CZH', ts: '1700002100.000100', text: '证书过期了吗', files: [{ id: 'FZH2', name: 'tls.pcap' }] }));
      const final = await fake.until(() => fake.of('chat.update').find((c) => c.args.channel === 'CZH' && textOf(c).includes('nc_resolve')));
      expect(textOf(final)).toContain('发现');
      expect(textOf(final)).toContain('证书过期或尚未生效（或客户端时间不对）');
      expect(textOf(final)).toMatch(/13 个数据包，历时 0\.0 秒，2 台主机/);
      expect(fake.calls.some((c) => c.args.channel === 'COTHER' || c.args.thread_ts === '1700002000.000100')).toBe(false);
      // An ETL trace that does not say which tool wrote it (synthetic): both conversions, each named, in Chinese.
      fake.files.set('FZHETL', buildEtl({}));
      await postEvent(zh.port!, fileEvent(fake, { channel: 'CZH', ts: '1700002200.000100', files: [{ id: 'FZHETL', name: 'zh.etl', filetype: 'binary', mimetype: 'application/octet-stream' }] }));
      const etl = await fake.until(() => fake.of('chat.update').find((c) => c.args.channel === 'CZH' && textOf(c).includes('zh.etl 是 Windows ETL 跟踪文件')));
      expect(JSON.stringify(etl.args.blocks)).toContain(
        'zh.etl 是 Windows ETL 跟踪文件，不是抓包文件。请在 Windows 上转换，再把得到的 .pcapng 上传到本线程。\\npktmon 记录的跟踪（需要 Windows 10 2004 或更高版本）：\\n```pktmon etl2pcap zh.etl --out zh.pcapng```\\n' +
          '`netsh trace` 记录的跟踪，用微软的免费工具 etl2pcapng（github.com/microsoft/etl2pcapng）转换：\\n```etl2pcapng.exe zh.etl zh.pcapng```',
      );
      expect(textOf(etl)).not.toContain('nc_again');
    } finally {
      await zh.stop();
    }
  });

  it('a status message someone deleted does not fail the analysis: it is recorded and the pictures still arrive', async () => {
    fake.files.set('FGONE', SCENARIO('syn-silent-drop.pcap'));
    fake.refuse('chat.update', 50, 'message_not_found');
    try {
      await postEvent(bot.port!, fileEvent(fake, { ts: '1700003000.000100', files: [{ id: 'FGONE', name: 'gone.pcap' }] }));
      const status = () => bot.deps.inv.store.db.selectFrom('capture').select('status').where('name', '=', 'gone.pcap').executeTakeFirst();
      for (let i = 0; i < 300 && (await status())?.status !== 'done'; i++) await new Promise((r) => setTimeout(r, 50));
      await fake.until(() => fake.of('files.getUploadURLExternal').find((c) => String(c.args.alt_text).includes('tcp.syn_unanswered')));
    } finally {
      fake.refuse('chat.update', 0, 'message_not_found');
    }
    const [row] = await bot.deps.inv.store.db.selectFrom('capture').select(['status']).where('name', '=', 'gone.pcap').execute();
    expect(row.status).toBe('done');
    expect(fake.of('chat.update#message_not_found').length).toBeGreaterThan(0);
  });
});
