import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJob, finishJob, insertJob } from '../../src/store/job-repo.js';
import { openStore, type Store } from '../../src/store/open-store.js';

describe('the embedded job queue', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netcase-queue-'));
    store = await openStore({ kind: 'sqlite', file: join(dir, 'q.db') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an expired job runs again until its retries are used up, then is only reported (a capture that kills its worker cannot loop)', async () => {
    const t = (s: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, s));
    const id = await insertJob(store.db, 'q', { captureId: 'c1' }, 1, t(0));
    const first = await claimJob(store, 'q', 'w1', t(1), 10_000);
    expect(first).toMatchObject({ id, attempts: 1, exhausted: false });
    // w1 died: nothing until the job expires, then w2 takes it as attempt 2 (the one retry).
    expect(await claimJob(store, 'q', 'w2', t(5), 10_000)).toBe(null);
    expect(await claimJob(store, 'q', 'w2', t(12), 10_000)).toMatchObject({ id, attempts: 2, exhausted: false });
    // w2 died too: out of attempts, the next claim is only to report it.
    expect(await claimJob(store, 'q', 'w3', t(23), 10_000)).toMatchObject({ id, attempts: 2, exhausted: true });
    expect(await finishJob(store.db, id, 'w3', t(24), { state: 'failed', output: { error: 'did not finish' } })).toBe(true);
    expect(await claimJob(store, 'q', 'w4', t(60), 10_000)).toBe(null);
    // A worker that lost the job cannot finish it.
    expect(await finishJob(store.db, id, 'w1', t(61), { state: 'completed' })).toBe(false);
  });
});
