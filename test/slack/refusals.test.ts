import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showInvestigation } from '../../src/investigations/queries.js';
import { startBot, type RunningBot } from '../../src/main/bot.js';
import { runNode } from '../cli/run.js';
import { FAKE_TOKEN, startFakeSlack, type ApiCall, type FakeSlack } from './fake-slack.mjs';
import { commandBody, postCommand, postEvent, SIGNING_SECRET, signedPost } from './signed.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCENARIO = (name: string) => readFileSync(resolve(ROOT, 'test', 'fixtures', 'scenarios', name));
const SECRET = 's3cr3t-pw-7781';

function textOf(call: ApiCall): string {
  return JSON.stringify(call.args.blocks ?? '') + String(call.args.text ?? '');
}

/**
 * What the bot refuses, and what it must never say: refused downloads end the capture failed with
 * the reason; messages name a file as it was uploaded, never by its spool path, and never repeat
 * credentials; search text is capped.
 */
describe('refusals and what never reaches Slack', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dir: string;
  let spool: string;
  beforeAll(async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), 'netcase-refusals-'));
    spool = join(dir, 'spool');
    bot = await startBot(
      {
        SLACK_BOT_TOKEN: FAKE_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        SLACK_FILE_ORIGINS: fake.trustedOrigin,
        NETCASE_DB: join(dir, 'netcase.db'),
        NETCASE_SPOOL: spool,
        NETCASE_MAX_CAPTURE_MB: '1',
        NETCASE_JOB_RETRIES: '0',
        LOG_LEVEL: 'error',
      },
      { port: 0, write: () => {} },
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (ts: string, id: string, name: string, url = fake.fileUrl(id)) =>
    postEvent(bot.port!, { type: 'message', subtype: 'file_share', channel: 'CREF', user: 'U1', ts, text: '', files: [{ id, name, filetype: 'binary', mode: 'hosted', url_private_download: url }] });
  const captureOf = async (name: string) => {
    for (let i = 0; i < 600; i++) {
      const row = await bot.deps.inv.store.db.selectFrom('capture').select(['id', 'investigation_id', 'status']).where('name', '=', name).executeTakeFirst();
      if (row !== undefined && row.status === 'failed') return row;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${name} never failed`);
  };

  it('a refused download (untrusted host, over the size limit) ends the capture failed with the reason, in investigations show and the timeline; no environment variable is named', async () => {
    fake.files.set('FSTEAL', SCENARIO('slow-server.pcap'));
    fake.files.set('FHUGE', Buffer.alloc(2 * 1048576 + 1, 0xd4));
    await upload('1700700000.000100', 'FSTEAL', 'stolen.pcap', fake.fileUrl('FSTEAL', 'redirect-untrusted'));
    await upload('1700700100.000100', 'FHUGE', 'huge.pcap');
    // Analyse again is offered where it can help: once the bot's admin trusts the host, the same
    // file downloads; a file over the size limit stays over it (the message says how to cut it).
    for (const [name, reason, again] of [
      ['stolen.pcap', `Not downloading: the file link redirects to ${fake.untrustedOrigin}, which is not a trusted Slack file host. If it is your Slack's, ask the bot's admin to trust it, then try *Analyse again*.`, true],
      ['huge.pcap', "Not downloading: the bot's size limit is 1 MB and the file is larger. Ask the bot's admin to raise it, or cut the capture into smaller files with Wireshark's editcap and upload the part with the problem: `editcap -c 650 huge.pcap part.pcapng`", false],
    ] as const) {
      const row = await captureOf(name);
      const d = await showInvestigation(bot.deps.inv, row.investigation_id);
      expect(d.captures[0]).toMatchObject({ name, status: 'failed', error: reason });
      expect(d.timeline.at(-1)).toMatchObject({ kind: 'analysis-failed', text: `${name}: ${reason}` });
      // What a person running the CLI on the same database sees.
      const shown = await runNode(resolve(ROOT, 'bin', 'netcase.js'), ['investigations', 'show', row.investigation_id, '--json'], { NETCASE_DB: join(dir, 'netcase.db'), NETCASE_SPOOL: spool });
      expect(JSON.parse(shown.stdout).captures[0]).toMatchObject({ status: 'failed', error: reason });
      const said = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes(reason.slice(0, 60))));
      expect(textOf(said)).toContain(reason);
      expect(textOf(said).includes('"action_id":"nc_again"')).toBe(again);
      expect(textOf(said)).not.toMatch(/NETCASE_|SLACK_/);
    }
  });

  it('a capture cut short says to upload the whole file, without Analyse again', async () => {
    const gz = gzipSync(SCENARIO('slow-server.pcap'));
    fake.files.set('FCUTGZ', gz.subarray(0, 14));
    await upload('1700700050.000100', 'FCUTGZ', 'cut.pcap.gz');
    const said = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('Could not read cut.pcap.gz')));
    expect(textOf(said)).toContain('Could not read cut.pcap.gz: the compressed data ends before anything could be decompressed (the file was cut off); upload the whole file');
    expect(textOf(said)).not.toContain('nc_again');
  });

  it('an unreadable upload is named as uploaded, never by its spool path; a link with credentials is refused and never repeated', async () => {
    fake.files.set('FZIP', Buffer.from('PK\u0003\u0004 this is not really a zip'));
    await upload('1700700200.000100', 'FZIP', 'x.zip');
    const said = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes('Could not read x.zip')));
    expect(textOf(said)).toMatch(/Could not read x\.zip: \S/);
    const zipRow = await captureOf('x.zip');
    const zip = await showInvestigation(bot.deps.inv, zipRow.investigation_id);
    expect(zip.captures[0].error).toMatch(/^x\.zip: /);

    fake.files.set('FCRED', SCENARIO('slow-server.pcap'));
    const withCredentials = fake.fileUrl('FCRED').replace('http://', `http://netcase:${SECRET}@`);
    await upload('1700700300.000100', 'FCRED', 'cred.pcap', withCredentials);
    const row = await captureOf('cred.pcap');
    const reason = 'Not downloading: the file link carries a user name or password, which Slack file links never do.';
    expect((await showInvestigation(bot.deps.inv, row.investigation_id)).captures[0]).toMatchObject({ status: 'failed', error: reason });
    const refused = await fake.until(() => fake.of('chat.update').find((c) => textOf(c).includes(reason)));
    expect(textOf(refused)).not.toContain('nc_again');

    // Nothing that went out to Slack holds a host path or the credentials.
    const outgoing = JSON.stringify([fake.calls, fake.responses, fake.uploads.map((u) => u.bytes.toString('latin1'))]);
    for (const secret of [spool, dir, tmpdir(), SECRET, 'netcase:s3cr3t']) expect(outgoing).not.toContain(secret);
    // Nor what is stored for people to read.
    const stored = JSON.stringify(await bot.deps.inv.store.db.selectFrom('capture').select(['error']).execute()) + JSON.stringify(await bot.deps.inv.store.db.selectFrom('timeline').select(['text']).execute());
    for (const secret of [spool, SECRET]) expect(stored).not.toContain(secret);
  });

  it('/netcase search takes at most 4 KB: a 1 MB text is answered at once, unparsed, and the event loop keeps turning; 7 KB is refused; 4 KB is searched', async () => {
    const huge = `tcp reset ${'retransmission window '.repeat(50_000)}`.slice(0, 1 << 20);
    // The request is encoded before the clock starts: only the bot's handling is measured.
    const body = commandBody({ text: `search ${huge}`, channel_id: 'CREF', response_url: fake.responseUrl('huge') });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const ack = await signedPost(bot.port!, body, 'application/x-www-form-urlencoded');
    delay.disable();
    console.log(`1 MB /netcase search: answered in ${Math.round(ack.ms)} ms, event loop held at most ${Math.round(delay.max / 1e6)} ms`);
    expect([ack.status, JSON.parse(ack.text)]).toEqual([200, { response_type: 'ephemeral', text: 'That command is too long: netcase reads at most 4 KB (4,096 bytes) of search text. Keep the words that matter.' }]);
    expect(delay.max / 1e6).toBeLessThan(250);
    // Unsigned, it is still only a bad signature.
    expect((await signedPost(bot.port!, body, 'application/x-www-form-urlencoded', { secret: 'wrong' })).status).toBe(401);

    await postCommand(bot.port!, { text: `search ${'ecn '.repeat(1700)}`, channel_id: 'CREF', response_url: fake.responseUrl('5k') });
    const refused = await fake.until(() => fake.responses.find((x) => x.path === '/respond/5k'));
    expect(JSON.stringify(refused.body)).toContain('Search text is 6,799 bytes long; at most 4,096 (4 KB) are searched: keep the words that matter.');
    const edge = `ECN windows server 2012 ${'x'.repeat(4096)}`.slice(0, 4096);
    await postCommand(bot.port!, { text: `search ${edge}`, channel_id: 'CREF', response_url: fake.responseUrl('edge') });
    const hits = await fake.until(() => fake.responses.find((x) => x.path === '/respond/edge'));
    expect(JSON.stringify(hits.body.blocks)).toContain('892443418260611');
    expect(fake.responses.find((x) => x.path === '/respond/huge')).toBeUndefined();
  });
});
