import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, openInvestigation, resolveInvestigation } from '../../src/investigations/lifecycle.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { buildDigest } from '../../src/slack/digest.js';

describe('the digest is a pure function of the store and a clock', () => {
  let store: Store;
  let dir: string;
  let clock = new Date('2026-11-16T09:00:00Z');
  const ctx = () => ({ store, now: () => clock });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netcase-digest-'));
    store = await openStore({ kind: 'sqlite', file: join(dir, 'd.db') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists open investigations with age, channel, thread link, owner; stale ones first and marked', async () => {
    const old = await openInvestigation(ctx(), { title: 'VPN users drop every hour', channel: 'C1', threadTs: '1763283600.000100', owner: 'U07ALICE' });
    clock = new Date('2026-11-20T09:00:00Z');
    const fresh = await openInvestigation(ctx(), { title: 'Printer portal <slow>', channel: 'C2', threadTs: '1763629200.000200' });
    const done = await openInvestigation(ctx(), { title: 'resolved one' });
    await resolveInvestigation(ctx(), done.id, { rootCause: 'x', fix: 'y' });
    clock = new Date('2026-11-21T09:00:00Z');
    await addNote(ctx(), fresh.id, 'waiting for the customer');
    const m = await buildDigest(ctx(), { lang: 'en', staleDays: 3, workspaceUrl: 'https://acme.slack.com/' });
    const texts = m.blocks.map((b) => JSON.stringify(b));
    expect(m.text).toBe('Open investigations: 2');
    expect(texts).toHaveLength(3);
    expect(texts[1]).toContain(`<https://acme.slack.com/archives/C1/p1763283600000100|${old.id}> VPN users drop every hour :warning: *stale* (5 d)`);
    expect(texts[1]).toContain('5 d · <#C1> · <@U07ALICE>');
    expect(texts[2]).toContain(`<https://acme.slack.com/archives/C2/p1763629200000200|${fresh.id}> Printer portal &lt;slow&gt;\\n1 d · <#C2> · nobody`);
    expect(texts.join('')).not.toContain('resolved one');
    // The same store and clock give the same digest.
    expect(await buildDigest(ctx(), { lang: 'en', staleDays: 3, workspaceUrl: 'https://acme.slack.com/' })).toEqual(m);
  });
});
