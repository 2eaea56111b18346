import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInvestigation } from '../../src/investigations/lifecycle.js';
import { showInvestigation } from '../../src/investigations/queries.js';
import { openStore } from '../../src/store/open-store.js';
import { targets } from './targets.js';
import { runNode } from '../cli/run.js';

const WRITER = resolve(import.meta.dirname, 'concurrent-writer.mjs');

async function run(args: string[], env: Record<string, string>): Promise<string> {
  const r = await runNode(WRITER, args, env, { timeoutMs: 50_000 });
  if (r.code !== 0) throw new Error(`writer exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe.each(targets())('several processes writing one store ($name)', (target) => {
  it('race to migrate a fresh database and each opens its investigation', async () => {
    const t = await target.create();
    try {
      const goAt = String(Date.now() + 1500);
      const ids = (await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => run(['open', '-', n, '0', goAt], t.env)))).map((o) => JSON.parse(o).id as string);
      expect(new Set(ids).size).toBe(5);
      const store = await openStore(t.database);
      const rows = await store.db.selectFrom('investigation').select('title').orderBy('title').execute();
      await store.close();
      expect(rows.map((r) => r.title)).toEqual(['opened by a', 'opened by b', 'opened by c', 'opened by d', 'opened by e']);
    } finally {
      await t.dispose();
    }
  });

  it('lose no update: appends, notes and event claims from three processes all land, once', async () => {
    const t = await target.create();
    try {
      const store = await openStore(t.database);
      const ctx = { store, now: () => new Date() };
      const inv = await openInvestigation(ctx, { title: 'contended' });
      const N = 40;
      const goAt = String(Date.now() + 1500);
      const outs = await Promise.all(['p1', 'p2', 'p3'].map((n) => run(['write', inv.id, n, String(N), goAt], t.env)));
      const claimed = outs.map((o) => JSON.parse(o).claimed as number);
      // Each event id is claimed by exactly one process.
      expect(claimed.reduce((a, b) => a + b, 0)).toBe(N);
      const d = await showInvestigation(ctx, inv.id);
      const lines = d.symptom.split('\n').sort();
      const expected = ['p1', 'p2', 'p3'].flatMap((n) => Array.from({ length: N }, (_, i) => `${n}-${i}`)).sort();
      // Every read-modify-write append is there: none overwrote another.
      expect(lines).toEqual(expected);
      const row = await store.db.selectFrom('investigation').select('version').where('id', '=', inv.id).executeTakeFirstOrThrow();
      expect(row.version).toBe(1 + 3 * N * 2);
      const notes = await store.db.selectFrom('timeline').select((eb) => eb.fn.countAll().as('n')).where('investigation_id', '=', inv.id).where('kind', '=', 'note').executeTakeFirstOrThrow();
      expect(Number(notes.n)).toBe(3 * N);
      await store.close();
    } finally {
      await t.dispose();
    }
  });
});
