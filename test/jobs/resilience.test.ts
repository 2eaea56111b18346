import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/open-store.js';
import { FAKE_TOKEN, startFakeSlack, type FakeSlack } from '../slack/fake-slack.mjs';
import { postEvent, SIGNING_SECRET } from '../slack/signed.js';
import { PG_URL, targets } from '../store/targets.js';
import { startProcess, type BotProcess } from './processes.js';
import { startTcpProxy } from './tcp-proxy.js';

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
    env = { ...t.env, SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, NETCASE_SPOOL: join(dir, 'spool'), LOG_LEVEL: 'info', NETCASE_MAX_ANALYSIS_S: '5', NETCASE_DOWNLOAD_TIMEOUT_S: '3', NETCASE_WORKER_CONCURRENCY: '2', NETCASE_JOB_RETRIES: '3' };
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
    const started = second.log().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((l) => l.msg === 'job started');
    expect(started.map((l) => l.attempt)).toEqual([2]);
    const caps = await store.db.selectFrom('capture').select(['status', 'runner']).execute();
    expect(caps).toEqual([{ status: 'done', runner: null }]);
    await second.stop();
    await first.stop();
    await bot.stop();
  });

  it('two bots and two workers: 50 uploads (some retried to the other bot) are each analysed exactly once; a digest slot is posted once', async () => {
    await store.db.deleteFrom('investigation').execute();
    const before = { posts: fake.of('chat.postMessage').length, results: results(fake).length };
    const digestEnv = { ...env, DIGEST_CHANNEL: 'CDIG', DIGEST_CRON: '*/2 * * * * *' };
    const bots = [await startProcess(digestEnv, 'bot'), await startProcess(digestEnv, 'bot')];
    const workers = [await startProcess(env, 'worker'), await startProcess(env, 'worker')];
    procs.push(...bots, ...workers);
    const bytes = SCENARIO('slow-server.pcap');
    const N = 50;
    const acks: number[] = [];
    for (let i = 0; i < N; i++) {
      const id = `FLOAD${i}`;
      fake.files.set(id, bytes);
      const event = fileEvent(fake, `1700200000.${String(i).padStart(6, '0')}`, id, `load-${i}.pcap`);
      const r = await postEvent(bots[i % 2].port!, event, `EvLoad${i}`);
      acks.push(r.ms);
      // Slack retries some events, and a retry may reach the other bot.
      if (i % 5 === 0) await postEvent(bots[(i + 1) % 2].port!, event, `EvLoad${i}`, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    }
    await fake.until(() => results(fake).length - before.results >= N, 120_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(results(fake).length - before.results).toBe(N);
    const statusPosts = fake.of('chat.postMessage').slice(before.posts).filter((c) => c.args.channel === 'CRES');
    expect(statusPosts).toHaveLength(N);
    expect(new Set(statusPosts.map((c) => c.args.thread_ts)).size).toBe(N);
    const caps = await store.db.selectFrom('capture').select(['status']).execute();
    expect(caps.map((c) => c.status)).toEqual(Array(N).fill('done'));
    const jobs = await sql<{ state: string }>`select state from pgboss.job where name = 'netcase-analysis'`.execute(store.db);
    const load = jobs.rows.filter((j) => j.state === 'completed');
    expect(load.length).toBeGreaterThanOrEqual(N);
    expect(Math.max(...acks)).toBeLessThan(1000);
    // Both workers took part.
    expect(workers.every((w) => /"msg":"job done"/.test(w.log()))).toBe(true);
    // Digests every 2 s from both bots: one post per slot.
    const leases = await store.db.selectFrom('digest_lease').select(['slot', 'holder', 'posted_at']).execute();
    const digests = fake.of('chat.postMessage').filter((c) => c.args.channel === 'CDIG');
    expect(leases.length).toBeGreaterThan(0);
    expect(digests.length).toBe(leases.filter((l) => l.posted_at !== null).length);
    expect(new Set(leases.map((l) => l.slot)).size).toBe(leases.length);
    for (const p of [...bots, ...workers]) expect(await p.stop()).toBe(0);
  });

  it('the database unreachable for a few seconds: the bot keeps acknowledging Slack at once, and the upload completes when it returns', async () => {
    const target = new URL(env.DATABASE_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const via = new URL(env.DATABASE_URL);
    via.port = String(proxy.port);
    const proxied = { ...env, DATABASE_URL: via.toString() };
    const bot = await startProcess(proxied, 'all');
    procs.push(bot);
    try {
      fake.files.set('FOUT', SCENARIO('syn-silent-drop.pcap'));
      const before = results(fake).length;
      await proxy.cut();
      const ready = await fetch(`http://127.0.0.1:${bot.port}/readyz`);
      expect(ready.status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);
      const ack = await postEvent(bot.port!, fileEvent(fake, '1700300000.000100', 'FOUT', 'outage.pcap'), 'EvOutage');
      expect(ack.status).toBe(200);
      expect(ack.ms).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 3000));
      expect(results(fake).length).toBe(before);
      await proxy.restore();
      await fake.until(() => results(fake).length > before && results(fake).at(-1)!.args.channel === 'CRES' && JSON.stringify(results(fake).at(-1)!.args.blocks).includes('outage.pcap'), 90_000);
      expect((await fetch(`http://127.0.0.1:${bot.port}/readyz`)).status).toBe(200);
      expect(bot.log()).toContain('database unreachable; waiting');
      expect(await bot.stop()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('SIGTERM mid-analysis: the worker finishes the running job, then exits 0; Slack answering 429 meanwhile delays the findings without losing them', async () => {
    const bot = await startProcess(env, 'bot');
    const worker = await startProcess(env, 'worker');
    procs.push(bot, worker);
    const before = results(fake).length;
    let termAt = 0;
    let exit: Promise<number | null> | null = null;
    fake.onCall = (call) => {
      if (termAt === 0 && call.method === 'chat.update' && JSON.stringify(call.args.blocks).includes('Analysing') && JSON.stringify(call.args.blocks).includes('term.pcap')) {
        termAt = Date.now();
        // Slack is busy while the worker shuts down: the final edit meets two 429s and a 500.
        fake.fail('chat.update', 2, 429, 1);
        exit = worker.stop();
      }
    };
    fake.files.set('FTERM', fake.files.get('FKILL')!);
    await postEvent(bot.port!, fileEvent(fake, '1700400000.000100', 'FTERM', 'term.pcap'));
    await fake.until(() => termAt > 0, 60_000);
    fake.onCall = undefined;
    expect(await exit).toBe(0);
    expect(results(fake).length).toBe(before + 1);
    expect(JSON.stringify(results(fake).at(-1)!.args.blocks)).toContain('term.pcap');
    expect(fake.of('chat.update#429').length).toBeGreaterThanOrEqual(2);
    await bot.stop();
  });
});
