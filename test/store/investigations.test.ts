import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import { loadCaseLibrary } from '../../src/cases/load-case-library.js';
import { parseCasePage } from '../../src/cases/parse-case-page.js';
import { CaseIndex } from '../../src/cases/search-cases.js';
import { attachCapture, failAnalysis, markProgress, recordAnalysis, registerPendingCapture, requeueAbandoned, rerankCases, startAnalysis, thisRunner } from '../../src/investigations/captures.js';
import { InvestigationError, type InvestigationsContext } from '../../src/investigations/context.js';
import { exportCasePage } from '../../src/investigations/export-case-page.js';
import { addNote, dismissInvestigation, openInvestigation, reopenInvestigation, resolveInvestigation, setStatusTs, takeOwnership, updateSymptom } from '../../src/investigations/lifecycle.js';
import { listInvestigationItems, markStale, searchResolved, showInvestigation } from '../../src/investigations/queries.js';
import { purge } from '../../src/investigations/retention.js';
import { toRecord } from '../../src/investigations/run-analysis.js';
import { spoolCapture } from '../../src/investigations/spool-capture.js';
import { matchesOf, setMatchFeedback } from '../../src/store/analysis-repo.js';
import { migrate, migrationStatus } from '../../src/store/migrate.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { acquireDigestLease, claimEvent, markDigestPosted } from '../../src/store/slack-state-repo.js';
import { targets } from './targets.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCENARIO = (name: string) => resolve(ROOT, 'test', 'fixtures', 'scenarios', name);
const library = await loadCaseLibrary({ readdir, readFile }, resolve(ROOT, 'case-library'));
const index = new CaseIndex(library.cases);

async function analysisOf(file: string) {
  return toRecord(await analyzeFile(file));
}

describe.each(targets())('investigations store on $name', (target) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let spoolDir: string;
  let clock = new Date('2026-11-02T09:00:00.000Z');
  const ctx = (): InvestigationsContext => ({ store, now: () => clock });
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  beforeAll(async () => {
    const created = await target.create();
    dispose = created.dispose;
    spoolDir = created.env.NETCASE_SPOOL;
    store = await openStore(created.database);
  });
  afterAll(async () => {
    await store?.close();
    await dispose?.();
  });

  it('a fresh database is migrated on open; down undoes one step and up redoes it', async () => {
    expect((await migrationStatus(store.db)).every((m) => m.executedAt !== null)).toBe(true);
    const down = await migrate(store, 'down');
    expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([['2026-12-04-07-match-explanation', 'Down', 'Success']]);
    expect((await migrationStatus(store.db)).map((m) => m.executedAt === null)).toEqual([false, false, false, false, false, false, true]);
    const up = await migrate(store, 'up');
    expect(up.results?.map((r) => [r.migrationName, r.status])).toEqual([['2026-12-04-07-match-explanation', 'Success']]);
    // A second up finds nothing to do.
    expect((await migrate(store, 'up')).results).toEqual([]);
  });

  it('opens investigations, lists them newest first with age and last activity, and finds them by a retyped id', async () => {
    const a = await openInvestigation(ctx(), { title: 'Server 2012 cannot reach the web service', symptom: '2012 boxes fail, 2008 R2 works', channel: 'C1', threadTs: '1700000000.000100', workspace: 'T1', actor: 'U1', source: 'upload' });
    advance(3 * 86_400_000);
    const b = await openInvestigation(ctx(), { title: 'Android downloads abort', ticket: '317234419170611' });
    expect(a.id).toMatch(/^NC-[0-9A-HJKMNP-TV-Z]{6}$/);
    const list = await listInvestigationItems(ctx(), { status: 'open' });
    expect(list.map((i) => i.id)).toEqual([b.id, a.id]);
    expect(list[1]).toMatchObject({ id: a.id, status: 'open', channel: 'C1', threadTs: '1700000000.000100', ageDays: 3, idleDays: 3, topFinding: null, bestCase: null });
    const shown = await showInvestigation(ctx(), a.id.toLowerCase().replace('0', 'o'));
    expect(shown.id).toBe(a.id);
    expect(shown.timeline).toEqual([{ at: a.createdAt, kind: 'opened', actor: 'U1', text: 'opened from upload: Server 2012 cannot reach the web service' }]);
    await expect(showInvestigation(ctx(), 'NC-ZZZZZZ')).rejects.toThrow(new InvestigationError('no investigation with id "NC-ZZZZZZ"'));
  });

  it('attaches captures, analyses each sha256 once, records findings and ranked cases in one go, and removes the spool copy', async () => {
    const inv = await openInvestigation(ctx(), { title: 'short names do not resolve' });
    const spooled = await spoolCapture(SCENARIO('short-name-suffix.pcap'), spoolDir, { now: clock });
    expect(spooled.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { capture, duplicate } = await attachCapture(ctx(), inv.id, { name: 'short-name-suffix.pcap', size: spooled.size, sha256: spooled.sha256, spoolPath: spooled.path, slackFileId: 'F1' });
    expect(duplicate).toBe(false);
    expect(capture).toMatchObject({ status: 'queued', progress: 0, spoolPath: spooled.path, slackFileId: 'F1' });
    // The same bytes again: the existing capture comes back and the second spool copy is removed.
    const again = await spoolCapture(SCENARIO('short-name-suffix.pcap'), spoolDir, { now: clock });
    const second = await attachCapture(ctx(), inv.id, { name: 'copy.pcap', size: again.size, sha256: again.sha256, spoolPath: again.path });
    expect(second).toMatchObject({ duplicate: true, capture: { id: capture.id } });
    expect(existsSync(again.path)).toBe(false);

    expect(await startAnalysis(ctx(), capture.id)).toBe(true);
    expect(await startAnalysis(ctx(), capture.id)).toBe(false);
    await markProgress(ctx(), capture.id, 0.5);
    expect((await showInvestigation(ctx(), inv.id)).captures[0]).toMatchObject({ status: 'running', progress: 0.5 });

    const record = await analysisOf(spooled.path);
    const ranking = await recordAnalysis(ctx(), capture.id, record, index);
    expect(ranking.answer).toBe('dns-suffix-search-list');
    expect((await showInvestigation(ctx(), inv.id)).answerCaseId).toBe('dns-suffix-search-list');
    expect(existsSync(spooled.path)).toBe(false);
    const d = await showInvestigation(ctx(), inv.id);
    expect(d.captures[0]).toMatchObject({ status: 'done', progress: 1, format: 'pcap', packets: record.packets, spoolPath: null });
    expect(d.findings.map((f) => f.code)).toEqual(record.findings.map((f) => f.code));
    expect(d.findings[0].frames).toEqual(record.findings[0].frames);
    expect(d.findings.find((f) => f.code === 'dns.single_label_to_dns')?.facts).toMatchObject({ qname_has_dot: false });
    expect(d.matches[0]).toMatchObject({ caseId: 'dns-suffix-search-list', rank: 1, strength: 'match' });
    expect(d.topFinding?.code).toBe(record.findings[0].code);
    expect(d.bestCase?.id).toBe('dns-suffix-search-list');
    expect(d.timeline.map((t) => t.kind)).toEqual(['opened', 'capture', 'analysis']);

    // A second capture of another problem joins the same investigation and the ranking covers both.
    const other = await spoolCapture(SCENARIO('refused-v4-v6.pcap'), spoolDir, { now: clock });
    const c2 = (await attachCapture(ctx(), inv.id, { name: 'refused.pcap', size: other.size, sha256: other.sha256, spoolPath: other.path })).capture;
    await startAnalysis(ctx(), c2.id);
    const both = await recordAnalysis(ctx(), c2.id, await analysisOf(other.path), index);
    expect(both.matches.map((m) => m.id)).toEqual(expect.arrayContaining(['dns-suffix-search-list', 'connection-refused']));
    expect((await showInvestigation(ctx(), inv.id)).captures.map((c) => c.status)).toEqual(['done', 'done']);
  });

  it('a failed analysis keeps the investigation and the reason; Analyse again may retry it', async () => {
    const inv = await openInvestigation(ctx(), { title: 'corrupt upload' });
    const c = (await attachCapture(ctx(), inv.id, { name: 'x.pcap', size: 10, sha256: 'a'.repeat(64) })).capture;
    await startAnalysis(ctx(), c.id);
    await failAnalysis(ctx(), c.id, 'x.pcap: not a capture file (starts with "<html")');
    const d = await showInvestigation(ctx(), inv.id);
    expect(d).toMatchObject({ status: 'open', captures: [{ status: 'failed', error: 'x.pcap: not a capture file (starts with "<html")' }] });
    expect(await startAnalysis(ctx(), c.id)).toBe(false);
    expect(await startAnalysis(ctx(), c.id, thisRunner(), { retryFailed: true })).toBe(true);
  });

  it('re-ranks the cases when the symptom text changes and says what changed; feedback survives a re-rank', async () => {
    const inv = await openInvestigation(ctx(), { title: 'by hand', symptom: 'short names do not resolve, full names do' });
    const first = await rerankCases(ctx(), inv.id, index);
    expect(first).toMatchObject({ before: null, after: 'dns-suffix-search-list' });
    expect(await setMatchFeedback(store.db, inv.id, 'dns-suffix-search-list', 'wrong', 'U2', clock.toISOString())).toBe(true);
    await updateSymptom(ctx(), inv.id, 'connection refused: the SYN is answered by a reset', { append: false, actor: 'U2' });
    const second = await rerankCases(ctx(), inv.id, index);
    expect(second).toMatchObject({ before: 'dns-suffix-search-list', after: 'connection-refused' });
    const kept = (await matchesOf(store.db, [inv.id])).find((m) => m.caseId === 'dns-suffix-search-list');
    if (kept !== undefined) expect(kept).toMatchObject({ feedback: 'wrong', feedbackBy: 'U2' });
    expect((await showInvestigation(ctx(), inv.id)).timeline.map((t) => t.kind)).toEqual(['opened', 'rerank', 'symptom', 'rerank']);
  });

  it('resolves, reopens and dismisses only from the right states, with owner, notes and ticket on the timeline', async () => {
    const inv = await openInvestigation(ctx(), { title: 'slow first request' });
    await takeOwnership(ctx(), inv.id, 'U3');
    await addNote(ctx(), inv.id, 'the SQL server does a reverse lookup first', 'U3');
    await setStatusTs(ctx(), inv.id, '1700000001.000200');
    const resolved = await resolveInvestigation(ctx(), inv.id, { rootCause: 'PTR lookups for the web server time out', fix: 'added the PTR record', commands: 'nslookup 10.0.0.5', caseId: '648865412280611', ticket: 'INC-42', actor: 'U3' });
    expect(resolved).toMatchObject({ status: 'resolved', owner: 'U3', ticket: 'INC-42', statusTs: '1700000001.000200', resolvedAt: clock.toISOString(), resolution: { rootCause: 'PTR lookups for the web server time out', fix: 'added the PTR record', commands: 'nslookup 10.0.0.5', caseId: '648865412280611' } });
    await expect(resolveInvestigation(ctx(), inv.id, { rootCause: 'x', fix: 'y' })).rejects.toThrow(`investigation ${inv.id} is resolved; reopen it first`);
    await expect(dismissInvestigation(ctx(), inv.id)).rejects.toThrow(InvestigationError);
    expect((await reopenInvestigation(ctx(), inv.id, 'U4')).status).toBe('open');
    expect((await dismissInvestigation(ctx(), inv.id, 'U4', 'duplicate of another thread')).status).toBe('dismissed');
    await expect(resolveInvestigation(ctx(), inv.id, { rootCause: '', fix: 'y' })).rejects.toThrow('root cause is required');
    const d = await showInvestigation(ctx(), inv.id);
    expect(d.timeline.map((t) => `${t.kind}:${t.actor}`)).toEqual(['opened:null', 'owner:U3', 'note:U3', 'resolved:U3', 'reopened:U4', 'dismissed:U4']);
    expect((await listInvestigationItems(ctx(), { status: 'dismissed' })).map((i) => i.id)).toContain(inv.id);
    expect((await listInvestigationItems(ctx(), { status: 'open' })).map((i) => i.id)).not.toContain(inv.id);
  });

  it('bad input is a clear InvestigationError, never a database exception', async () => {
    await expect(openInvestigation(ctx(), { title: 'x', symptom: 'y'.repeat(1 << 20) })).rejects.toThrow(new InvestigationError('symptom is 1048576 characters long; at most 20000 are kept'));
    await expect(openInvestigation(ctx(), { title: '   ' })).rejects.toThrow(new InvestigationError('title is required'));
    const inv = await openInvestigation(ctx(), { title: 'limits' });
    await expect(addNote(ctx(), inv.id, 'n'.repeat(5000))).rejects.toThrow('note is 5000 characters long; at most 4000 are kept');
    await expect(attachCapture(ctx(), inv.id, { name: 'a', size: 1, sha256: 'nothex' })).rejects.toThrow('sha256 "nothex" is not 64 hex digits');
    await expect(attachCapture(ctx(), 'NC-NOSUCH', { name: 'a', size: 1, sha256: 'b'.repeat(64) })).rejects.toThrow('no investigation with id "NC-NOSUCH"');
    await expect(resolveInvestigation(ctx(), inv.id, { rootCause: 'x', fix: 'y', caseId: 'Robert"); DROP TABLE investigation;--' })).rejects.toThrow('is not a case-library id');
    await expect(updateSymptom(ctx(), inv.id, 'z'.repeat(19_999), { append: false })).resolves.toBeDefined();
    await expect(updateSymptom(ctx(), inv.id, 'more words', { append: true })).rejects.toThrow('symptom would be 20010 characters long; at most 20000 are kept');
  });

  it('marks investigations stale after STALE_DAYS without activity, once; activity clears it', async () => {
    const quiet = await openInvestigation(ctx(), { title: 'quiet one' });
    advance(4 * 86_400_000);
    const busy = await openInvestigation(ctx(), { title: 'busy one' });
    const marked = await markStale(ctx(), 3);
    expect(marked).toContain(quiet.id);
    expect(marked).not.toContain(busy.id);
    expect(await markStale(ctx(), 3)).not.toContain(quiet.id);
    expect((await showInvestigation(ctx(), quiet.id)).stale).toBe(true);
    await addNote(ctx(), quiet.id, 'still waiting for the customer');
    expect((await showInvestigation(ctx(), quiet.id)).stale).toBe(false);
  });

  it('searches resolved investigations with the case search (English and Chinese), and exports one as a valid draft case page', async () => {
    const inv = await openInvestigation(ctx(), { title: 'Printer portal unreachable from VLAN 30', symptom: '打印门户打不开\nprinter portal times out' });
    await resolveInvestigation(ctx(), inv.id, { rootCause: 'ACL on the core switch dropped TCP 8443 from VLAN 30', fix: 'Added a permit rule for 8443', commands: 'Test-NetConnection portal -Port 8443\nshow access-lists', ticket: '555123' });
    const open = await openInvestigation(ctx(), { title: 'Printer portal open question' });
    const hits = await searchResolved(ctx(), 'access list 8443');
    expect(hits[0]).toMatchObject({ id: inv.id, rootCause: 'ACL on the core switch dropped TCP 8443 from VLAN 30' });
    expect(hits.map((h) => h.id)).not.toContain(open.id);
    expect((await searchResolved(ctx(), '打印门户'))[0]?.id).toBe(inv.id);

    const page = await exportCasePage(ctx(), inv.id);
    expect(page.file).toBe('555123.md');
    const parsed = parseCasePage(page.file, page.text);
    // Structurally a case page; signatures are empty because nothing was analysed, which lint reports.
    expect(parsed.problems).toEqual(['555123.md: signatures must be a non-empty list']);
    expect(page.text).toContain('  - platform: "windows"\n    shell: "powershell"\n    command: "Test-NetConnection portal -Port 8443"');
    await expect(exportCasePage(ctx(), open.id)).rejects.toThrow(`investigation ${open.id} is open; only a resolved one can become a case page`);
  });

  it('an exported investigation with findings parses as a case page without problems', async () => {
    const inv = await openInvestigation(ctx(), { title: 'ECN blackhole to the billing service' });
    const c = (await attachCapture(ctx(), inv.id, { name: 'ecn.pcap', size: 1, sha256: 'c'.repeat(64) })).capture;
    await startAnalysis(ctx(), c.id);
    await recordAnalysis(ctx(), c.id, await analysisOf(SCENARIO('ecn-synack-blackhole.pcap')), index);
    await resolveInvestigation(ctx(), inv.id, { rootCause: 'A firewall drops SYN-ACKs with ECE set.', fix: 'netsh int tcp set global ecncapability=disabled', commands: 'netsh int tcp show global' });
    const page = await exportCasePage(ctx(), inv.id);
    expect(page.id).toBe('ecn-blackhole-to-the-billing-service');
    const parsed = parseCasePage(page.file, page.text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.page?.signatures.map((s) => s.code)).toContain('tcp.ecn_synack_blackhole');
    expect(parsed.page?.commands[0]).toMatchObject({ platform: 'windows', shell: 'netsh', command: 'netsh int tcp show global' });
  });

  it('captures left running by a dead process go back to the queue; a live runner keeps its capture', async () => {
    const inv = await openInvestigation(ctx(), { title: 'crash recovery' });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadRunner = `${thisRunner().split(':')[0]}:${dead.stdout}:1`;
    const ids: string[] = [];
    for (const [n, runner] of [[1, deadRunner], [2, thisRunner()], [3, 'another-host:42:1']] as const) {
      const c = (await attachCapture(ctx(), inv.id, { name: `c${n}.pcap`, size: n, sha256: String(n).repeat(64) })).capture;
      expect(await startAnalysis(ctx(), c.id, runner)).toBe(true);
      ids.push(c.id);
    }
    expect(await requeueAbandoned(ctx())).toEqual([ids[0]]);
    // Another host's runner is judged by its heartbeat: silent for over 10 minutes means abandoned.
    advance(11 * 60_000);
    await markProgress(ctx(), ids[1], 0.3);
    expect(await requeueAbandoned(ctx())).toEqual([ids[2]]);
    expect((await showInvestigation(ctx(), inv.id)).captures.map((c) => c.status)).toEqual(['queued', 'running', 'queued']);
  });

  it('one investigation per Slack thread and one capture per Slack file, even when two processes race', async () => {
    const [a, b] = await Promise.all([
      openInvestigation(ctx(), { title: 'race a', channel: 'CRACE', threadTs: '1700009999.000100' }),
      openInvestigation(ctx(), { title: 'race b', channel: 'CRACE', threadTs: '1700009999.000100' }),
    ]);
    expect(a.id).toBe(b.id);
    const [c1, c2] = await Promise.all([registerPendingCapture(ctx(), a.id, { name: 'x.pcap', slackFileId: 'FRACE' }), registerPendingCapture(ctx(), a.id, { name: 'x.pcap', slackFileId: 'FRACE' })]);
    expect([c1, c2].filter((c) => c !== null)).toHaveLength(1);
    expect((await showInvestigation(ctx(), a.id)).captures.map((c) => c.slackFileId)).toEqual(['FRACE']);
  });

  it('claims each Slack event id once and each digest slot once', async () => {
    expect(await claimEvent(store.db, 'Ev1', clock)).toBe(true);
    expect(await claimEvent(store.db, 'Ev1', clock)).toBe(false);
    expect(await acquireDigestLease(store.db, 'C9@2026-11-02T09:00', 'bot-a', clock)).toBe(true);
    expect(await acquireDigestLease(store.db, 'C9@2026-11-02T09:00', 'bot-b', clock)).toBe(false);
    await markDigestPosted(store.db, 'C9@2026-11-02T09:00', 'bot-a', clock);
    const row = await store.db.selectFrom('digest_lease').selectAll().where('slot', '=', 'C9@2026-11-02T09:00').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ holder: 'bot-a', posted_at: clock.toISOString() });
  });

  it('purges analyses and spooled files older than the retention, keeping investigations and resolutions', async () => {
    const inv = await openInvestigation(ctx(), { title: 'retention' });
    const spooled = await spoolCapture(SCENARIO('slow-server.pcap'), spoolDir, { now: clock });
    const c = (await attachCapture(ctx(), inv.id, { name: 'slow.pcap', size: spooled.size, sha256: spooled.sha256, spoolPath: spooled.path })).capture;
    await startAnalysis(ctx(), c.id);
    await recordAnalysis(ctx(), c.id, await analysisOf(spooled.path), index);
    const waiting = await spoolCapture(SCENARIO('slow-server.pcap'), spoolDir, { now: clock });
    const inv2 = await openInvestigation(ctx(), { title: 'never analysed' });
    await attachCapture(ctx(), inv2.id, { name: 'w.pcap', size: waiting.size, sha256: waiting.sha256, spoolPath: waiting.path });
    const orphan = join(spoolDir, 'orphan-from-a-crash.pcap');
    mkdirSync(dirname(orphan), { recursive: true });
    writeFileSync(orphan, 'x');
    utimesSync(orphan, new Date('2020-01-01'), new Date('2020-01-01'));
    expect((await showInvestigation(ctx(), inv.id)).findings.length).toBeGreaterThan(0);

    expect(await purge(ctx(), 30, spoolDir)).toEqual({ findingsDeleted: 0, capturesPurged: 0, spoolFilesRemoved: 1 });
    expect(existsSync(orphan)).toBe(false);
    advance(31 * 86_400_000);
    const r = await purge(ctx(), 30, spoolDir);
    expect(r.findingsDeleted).toBeGreaterThan(0);
    expect(existsSync(waiting.path)).toBe(false);
    const d = await showInvestigation(ctx(), inv.id);
    expect(d.findings).toEqual([]);
    expect(d.captures[0].purgedAt).toBe(clock.toISOString());
    expect(d.matches.length).toBeGreaterThan(0);
    expect(d.title).toBe('retention');
  });
});

describe('migrations', () => {
  it('are frozen plain JavaScript that never import src/', () => {
    const dir = resolve(ROOT, 'migrations');
    const files = readFileSync(resolve(ROOT, 'package.json'), 'utf8');
    expect(JSON.parse(files).files).toContain('migrations');
    for (const name of ['2026-11-25-01-investigations.js', '2026-11-25-02-answer.js', '2026-11-25-03-job-queue.js', '2026-11-25-04-unique-upload.js', '2026-12-04-05-finding-reasons.js', '2026-12-04-06-finding-groups.js', '2026-12-04-07-match-explanation.js']) {
      const text = readFileSync(join(dir, name), 'utf8');
      const imports = [...text.matchAll(/(?:from\s*|import\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
      expect(imports.filter((s) => s.includes('src/') || s.startsWith('.'))).toEqual([]);
    }
  });
});
