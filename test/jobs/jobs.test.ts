import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/main/bot.js';
import { FAKE_TOKEN, startFakeSlack, type FakeSlack } from '../slack/fake-slack.mjs';
import { postCommand, postEvent, SIGNING_SECRET } from '../slack/signed.js';
import { runNode } from '../cli/run.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = resolve(ROOT, 'bin', 'netcase.js');
const SCENARIO = (name: string) => readFileSync(resolve(ROOT, 'test', 'fixtures', 'scenarios', name));

/** The CLI as a child process, asynchronously (the fake Slack it may call lives in this process). */
function netcase(args: string[], env: Record<string, string>) {
  return runNode(BIN, args, env);
}

function upload(fake: FakeSlack, ts: string, id: string, name: string) {
  return { type: 'message', subtype: 'file_share', channel: 'CJOB', user: 'U1', ts, text: name, files: [{ id, name, filetype: 'pcap', mode: 'hosted', url_private_download: fake.fileUrl(id) }] };
}

describe('jobs on the embedded queue: limits, netcase jobs, netcase doctor', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), 'netcase-jobs-'));
    env = { SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, NETCASE_DB: join(dir, 'db.sqlite'), NETCASE_SPOOL: join(dir, 'spool'), LOG_LEVEL: 'error' };
    bot = await startBot(env, { port: 0, write: () => {} });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an analysis over the time limit or the heap limit fails only its job, with a message; the bot carries on', async () => {
    fake.files.set('FSLOW', SCENARIO('slow-server.pcap'));
    fake.files.set('FHEAP', SCENARIO('port-exhaustion.pcap'));
    fake.files.set('FOK', SCENARIO('refused-v4-v6.pcap'));
    const limits = { ...bot.deps.analysis };
    bot.deps.analysis.maxAnalysisS = 0.001;
    await postEvent(bot.port!, upload(fake, '1700400000.000100', 'FSLOW', 'slow.pcap'));
    const timedOut = await fake.until(() => fake.of('chat.update').find((c) => JSON.stringify(c.args.blocks).includes("The analysis of slow.pcap stopped at the bot's time limit of 0.001 s.")));
    // The limit as a number and what to do about it, never the variable that sets it; no Analyse
    // again, since the same capture meets the same limit again.
    expect(JSON.stringify(timedOut.args.blocks)).toContain(
      "The analysis of slow.pcap stopped at the bot's time limit of 0.001 s. Ask the bot's admin to raise it, or cut the capture into smaller files with Wireshark's editcap and upload the part with the problem: `editcap -c 1000000 slow.pcap part.pcapng`",
    );
    expect(JSON.stringify(timedOut.args.blocks)).not.toMatch(/nc_again|NETCASE_/);
    bot.deps.analysis.maxAnalysisS = limits.maxAnalysisS;
    bot.deps.analysis.maxOldGenerationMb = 1;
    await postEvent(bot.port!, upload(fake, '1700400100.000100', 'FHEAP', 'heap.pcap'));
    const heap = await fake.until(() => fake.of('chat.update').find((c) => JSON.stringify(c.args.blocks).includes("The analysis of heap.pcap needed more than the bot's memory limit of 1 MB.")));
    expect(JSON.stringify(heap.args.blocks)).toContain("The analysis of heap.pcap needed more than the bot's memory limit of 1 MB. Ask the bot's admin to raise it, or cut the capture into smaller files");
    expect(JSON.stringify(heap.args.blocks)).not.toMatch(/nc_again|NETCASE_/);
    bot.deps.analysis.maxOldGenerationMb = limits.maxOldGenerationMb;
    await postEvent(bot.port!, upload(fake, '1700400200.000100', 'FOK', 'ok.pcap'));
    await fake.until(() => fake.of('chat.update').find((c) => JSON.stringify(c.args.blocks).includes('connection-refused')));
    expect((await postCommand(bot.port!, { text: 'help', channel_id: 'CJOB', response_url: fake.responseUrl('h') })).status).toBe(200);
  });

  it('netcase jobs lists the queue and runs a failed job again', async () => {
    const list = await netcase(['jobs', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const { queue, jobs } = JSON.parse(list.stdout) as { queue: string; jobs: { id: string; state: string; attempts: number; error: string | null; data: { name: string } }[] };
    expect(queue).toBe('sqlite');
    expect(jobs.map((j) => [j.data.name, j.state, j.attempts])).toEqual([['ok.pcap', 'completed', 1], ['heap.pcap', 'failed', 1], ['slow.pcap', 'failed', 1]]);
    expect(jobs[1].error).toBe("it needed more than the bot's memory limit of 1 MB");
    expect(jobs[2].error).toBe("it stopped at the bot's time limit of 0.001 s");
    const text = await netcase(['jobs', 'list'], env);
    expect(text.stdout.split('\n')[0]).toMatch(/^\w{20}  completed attempts 1\/4  \S+  NC-\w{6} ok\.pcap$/);
    const again = await netcase(['jobs', 'retry', jobs[2].id], env);
    expect([again.code, again.stdout]).toEqual([0, `job ${jobs[2].id} will run again\n`]);
    await fake.until(() => fake.of('chat.update').find((c) => JSON.stringify(c.args.blocks).includes('slow.pcap') && JSON.stringify(c.args.blocks).includes('nc_resolve')), 30_000);
    const unknown = await netcase(['jobs', 'retry', 'nope'], env);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'netcase: no failed or finished job with id "nope" (netcase jobs list shows them) (usage: netcase jobs list [--json] [--limit N] | retry ID)\n']);
  });

  it('netcase doctor checks configuration, auth.test, scopes against manifest.yml, database, queue and spool', async () => {
    const ok = await netcase(['doctor'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok {4}configuration: HTTP on port 3000, role all, store sqlite\nok {4}slack auth\.test: team Test, bot user UBOT\nok {4}slack scopes: all 8 of manifest\.yml\nok {4}database: .*db\.sqlite\nok {4}job queue: sqlite: 0 waiting, \d+ running, \d+ failed of the last \d+\nok {4}spool: .* is writable\nall checks passed\n$/);
    fake.scopes = 'chat:write,commands';
    const missing = await netcase(['doctor'], env);
    fake.scopes = undefined;
    expect(missing.code).toBe(0);
    expect(missing.stdout).toMatch(/\nFAIL  slack scopes: missing app_mentions:read, channels:history, files:read, files:write, groups:history, im:history: add them/);
    const bad = await netcase(['doctor'], { ...env, SLACK_BOT_TOKEN: '' });
    expect(bad.stdout).toMatch(/^FAIL  configuration: SLACK_BOT_TOKEN is not set/);
  });
});
