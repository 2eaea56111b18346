import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { attachCapture, registerPendingCapture, startAnalysis } from '../../src/investigations/captures.js';
import { openInvestigation } from '../../src/investigations/lifecycle.js';
import { openInvestigations } from '../../src/investigations/open-investigations.js';
import { showInvestigation } from '../../src/investigations/queries.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { targets } from './targets.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = resolve(ROOT, 'bin', 'netcase.js');
const HOUR_MS = 3_600_000;

/** `netcase analyze --save` as its own process (started with the launcher's V8 flag, so its pid is the one doing the work). */
function analyzeSave(file: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--max-semi-space-size=4', BIN, 'analyze', file, '--save'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', USER: 'tester', ...env }, stdio: ['pipe', 'ignore', 'ignore'] });
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.on('exit', done));
  process.kill(child.pid!, 'SIGKILL');
  await exited;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * kill -9 of `analyze --save` at the worst moments, on a real database: opening the store again
 * settles what the dead run left, so nothing stays queued forever and no spool file stays behind.
 */
describe.each(targets())('what a killed analyze --save leaves, settled on opening the store ($name)', (target) => {
  let env: Record<string, string>;
  let dispose: () => Promise<void>;
  let store: Store;
  let dir: string;
  let big: string;
  beforeAll(async () => {
    const created = await target.create();
    env = created.env;
    dispose = created.dispose;
    store = await openStore(created.database);
    dir = mkdtempSync(join(tmpdir(), 'netcase-dead-runs-'));
    big = join(dir, 'big.pcap');
    const { generateCapture } = (await import(resolve(ROOT, 'bench', 'generate-capture.mjs'))) as { generateCapture: (o: { out: string; frames: number }) => unknown };
    await generateCapture({ out: big, frames: 100_000 });
  });
  afterAll(async () => {
    await store?.close();
    await dispose?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const spoolFiles = () => (existsSync(env.NETCASE_SPOOL) ? readdirSync(env.NETCASE_SPOOL) : []);
  const capture = (name: string) => store.db.selectFrom('capture').selectAll().where('name', '=', name).executeTakeFirst();

  it('killed mid-analysis: the capture ends failed with the reason (capture and timeline), its spool copy goes; a bot capture of a dead runner goes back to the queue', async () => {
    const child = analyzeSave(big, env);
    const row = await waitFor('the capture to be running', async () => {
      const c = await capture('big.pcap');
      return c?.status === 'running' ? c : undefined;
    });
    expect(row.runner).toMatch(new RegExp(`:${child.pid}:`));
    await killed(child);
    expect(existsSync(row.spool_path!)).toBe(true);
    // A bot capture whose worker died the same way: its job will find it queued again.
    const botInv = await openInvestigation({ store, now: () => new Date() }, { title: 'bot upload', channel: 'CDEAD', threadTs: '1700600000.000100' });
    const botCapture = (await registerPendingCapture({ store, now: () => new Date() }, botInv.id, { name: 'bot.pcap', slackFileId: 'FDEAD' }))!;
    expect(await startAnalysis({ store, now: () => new Date() }, botCapture.id, row.runner!)).toBe(true);

    const opened = await openInvestigations(readConfig(env));
    try {
      expect(opened.failed).toEqual([row.id]);
      expect(opened.requeued).toEqual([botCapture.id]);
      const d = await showInvestigation(opened, row.investigation_id);
      const reason = `the netcase analyze --save run analysing it (process ${child.pid} on ${row.runner!.split(':')[0]}) stopped before it finished; run netcase analyze --save again to analyse it`;
      expect(d.captures[0]).toMatchObject({ name: 'big.pcap', status: 'failed', error: reason, spoolPath: null });
      expect(d.timeline.at(-1)).toMatchObject({ kind: 'analysis-failed', text: `big.pcap: ${reason}` });
      expect((await showInvestigation(opened, botInv.id)).captures[0]).toMatchObject({ status: 'queued' });
    } finally {
      await opened.store.close();
    }
    expect(existsSync(row.spool_path!)).toBe(false);
    // Opening again changes nothing more.
    const again = await openInvestigations(readConfig(env));
    await again.store.close();
    expect([again.failed, again.requeued]).toEqual([[], []]);
  });

  it('killed between attaching and starting: a queued capture without a Slack file fails after 10 minutes; a younger one waits', async () => {
    const ctx = { store, now: () => new Date() };
    const inv = await openInvestigation(ctx, { title: 'attached, never started' });
    const old = (await attachCapture(ctx, inv.id, { name: 'never-started.pcap', size: 1, sha256: 'e'.repeat(64) })).capture;
    const soon = await openInvestigations(readConfig(env), () => new Date(Date.now() + 9 * 60_000));
    await soon.store.close();
    expect(soon.failed).toEqual([]);
    const later = await openInvestigations(readConfig(env), () => new Date(Date.now() + 11 * 60_000));
    try {
      expect(later.failed).toEqual([old.id]);
      const reason = 'the netcase analyze --save run that attached it stopped before analysing it; run netcase analyze --save again to analyse it';
      const d = await showInvestigation(later, inv.id);
      expect(d.captures[0]).toMatchObject({ status: 'failed', error: reason });
      expect(d.timeline.at(-1)).toMatchObject({ kind: 'analysis-failed', text: `never-started.pcap: ${reason}` });
    } finally {
      await later.store.close();
    }
  });

  it('killed while spooling: the partial spool file is removed once nobody has written it for an hour; fresh and referenced files stay', async () => {
    const before = new Set(spoolFiles());
    const child = analyzeSave('-', env);
    child.stdin!.on('error', () => {}); // EPIPE once it is killed
    const bytes = readFileSync(big);
    child.stdin!.write(bytes.subarray(0, 4 << 20));
    const partial = await waitFor('a partial spool file', () => spoolFiles().find((f) => !before.has(f) && statSync(join(env.NETCASE_SPOOL, f)).size > 0));
    await killed(child);
    const partialPath = join(env.NETCASE_SPOOL, partial);
    expect(statSync(partialPath).size).toBeLessThan(bytes.length);
    // The same run killed an hour and a half ago; a file being written right now; a capture's own spool copy, old.
    const old = new Date(Date.now() - 1.5 * HOUR_MS);
    utimesSync(partialPath, old, old);
    mkdirSync(env.NETCASE_SPOOL, { recursive: true });
    const fresh = join(env.NETCASE_SPOOL, 'being-written-now.pcap');
    writeFileSync(fresh, 'x');
    const waiting = await store.db.selectFrom('capture').select(['id']).where('status', '=', 'queued').executeTakeFirstOrThrow();
    const kept = join(env.NETCASE_SPOOL, 'waiting-for-its-job.pcap');
    writeFileSync(kept, 'x');
    utimesSync(kept, old, old);
    await store.db.updateTable('capture').set({ spool_path: kept }).where('id', '=', waiting.id).execute();

    const opened = await openInvestigations(readConfig(env));
    await opened.store.close();
    expect(opened.spoolFilesRemoved).toBe(1);
    expect([existsSync(partialPath), existsSync(fresh), existsSync(kept)]).toEqual([false, true, true]);
  });
});
