import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { FAKE_TOKEN, startFakeSlack, type FakeSlack } from '../slack/fake-slack.mjs';
import { postEvent, SIGNING_SECRET } from '../slack/signed.js';
import { PG_URL, targets } from '../store/targets.js';
import { startProcess, type BotProcess } from './processes.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCENARIO = (name: string) => readFileSync(resolve(ROOT, 'test', 'fixtures', 'scenarios', name));
const pg = targets().find((t) => t.name === 'postgres');

function fileEvent(fake: FakeSlack, ts: string, id: string, name: string) {
  return { type: 'message', subtype: 'file_share', channel: 'CRES', user: 'U1', ts, text: `upload ${name}`, files: [{ id, name, filetype: 'pcap', mode: 'hosted', url_private_download: fake.fileUrl(id) }] };
}

const results = (fake: FakeSlack) => fake.of('chat.update').filter((c) => JSON.stringify(c.args.blocks).includes('nc_resolve'));

/** Separate processes on the real PostgreSQL (bot, workers), the fake Slack in this process. */
describe.skipIf(pg === undefined)('resilience on PostgreSQL with pg-boss', () => {
  let fake: FakeSlack;
  let dir: string;
  let env: Record<string, string>;
  let dispose: () => Promise<void>;
  let store: Store;
  const procs: BotProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), 'netcase-res-'));
    const t = await pg!.create();
    dispose = t.dispose;
    env = { ...t.env, SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, NETCASE_SPOOL: join(dir, 'spool'), LOG_LEVEL: 'info', NETCASE_MAX_ANALYSIS_S: '5', NETCASE_WORKER_CONCURRENCY: '2', NETCASE_JOB_RETRIES: '3' };
    store = await openStore(t.database);
  });
  afterAll(async () => {
    for (const p of procs) await p.stop();
    await store?.close();
    await fake?.close();
    await dispose?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 of a worker mid-analysis: another worker picks the job up and the thread ends with exactly one findings message', async () => {
    const { generateCapture } = (await import(resolve(ROOT, 'bench', 'generate-capture.mjs'))) as { generateCapture: (o: { out: string; frames: number }) => unknown };
    await generateCapture({ out: join(dir, 'big.pcap'), frames: 150_000 });
    fake.files.set('FKILL', readFileSync(join(dir, 'big.pcap')));
    const bot = await startProcess(env, 'bot');
    procs.push(bot);
    const first = await startProcess(env, 'worker');
    procs.push(first);
    let killedAt = 0;
    fake.onCall = (call) => {
      if (killedAt === 0 && call.method === 'chat.update' && JSON.stringify(call.args.blocks).includes('Analysing')) {
        killedAt = Date.now();
        process.kill(first.pid, 'SIGKILL');
      }
    };
    await postEvent(bot.port!, fileEvent(fake, '1700100000.000100', 'FKILL', 'big.pcap'));
    await fake.until(() => killedAt > 0, 60_000);
    fake.onCall = undefined;
    expect(results(fake)).toHaveLength(0);
    const second = await startProcess(env, 'worker');
    procs.push(second);
    await fake.until(() => results(fake).length > 0, 90_000);
    await new Promise((r) => setTimeout(r, 1000));
    const thread = fake.of('chat.postMessage').filter((c) => c.args.thread_ts === '1700100000.000100');
    expect(thread).toHaveLength(1);
    expect(results(fake)).toHaveLength(1);
    expect(second.log()).toMatch(/"msg":"job started".*"attempt":2/);
    const caps = await store.db.selectFrom('capture').select(['status', 'runner']).execute();
    expect(caps).toEqual([{ status: 'done', runner: null }]);
    await second.stop();
    await first.stop();
    await bot.stop();
  });
});
