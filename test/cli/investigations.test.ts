import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCasePage } from '../../src/cases/parse-case-page.js';
import { targets } from '../store/targets.js';
import { ROOT } from './run.js';

const BIN = resolve(ROOT, 'bin', 'netcase.js');
const SCENARIO = (name: string) => resolve(ROOT, 'test', 'fixtures', 'scenarios', name);

function netcaseIn(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', USER: 'alice', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(targets())('netcase investigations on $name', (target) => {
  let env: Record<string, string>;
  let dispose: () => Promise<void>;
  let dir: string;
  const run = (args: string[], extra: Record<string, string> = {}) => netcaseIn(dir, args, { ...env, ...extra });

  beforeAll(async () => {
    const t = await target.create();
    env = t.env;
    dispose = t.dispose;
    dir = mkdtempSync(join(tmpdir(), 'netcase-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dispose?.();
  });

  it('analyze --save records a new investigation that list, show, resolve, export and search see', () => {
    const saved = run(['analyze', SCENARIO('reverse-dns-stall.pcap'), '--save', '--json', '--symptom', 'site slow on the first request, SQL login waits']);
    expect([saved.code, saved.stderr]).toEqual([0, '']);
    const analysis = JSON.parse(saved.stdout);
    const id = analysis.investigation.id as string;
    expect(id).toMatch(/^NC-/);
    expect(analysis.answer).toBe('648865412280611');

    const list = run(['investigations', 'list', '--json']);
    expect(list.code).toBe(0);
    const [item] = JSON.parse(list.stdout).investigations;
    expect(Object.keys(item).sort()).toEqual(['ageDays', 'bestCase', 'channel', 'createdAt', 'id', 'idleDays', 'lastActivityAt', 'owner', 'stale', 'status', 'threadTs', 'ticket', 'title', 'topFinding'].sort());
    expect(item).toMatchObject({ id, status: 'open', title: 'site slow on the first request, SQL login waits', ageDays: 0, bestCase: { id: '648865412280611', strength: 'match' }, topFinding: { code: analysis.findings[0].code } });

    const show = JSON.parse(run(['investigations', 'show', id.toLowerCase(), '--json']).stdout);
    expect(show.captures).toHaveLength(1);
    expect(show.captures[0]).toMatchObject({ name: 'reverse-dns-stall.pcap', status: 'done', format: 'pcap', spoolPath: null, size: readFileSync(SCENARIO('reverse-dns-stall.pcap')).length });
    expect(show.findings.map((f: { code: string }) => f.code)).toEqual(analysis.findings.map((f: { code: string }) => f.code));
    // The grouping (place, count, worst examples, affected conversations) is stored with each finding.
    const pick = (f: Record<string, unknown>) => ({ place: f.place, count: f.count, examples: f.examples, affected: f.affected, because: f.because });
    expect(show.findings.map(pick)).toEqual(analysis.findings.map(pick));
    expect(show.findings.some((f: { place: { kind: string } }) => f.place.kind === 'server')).toBe(true);
    expect(show.matches[0]).toMatchObject({ caseId: '648865412280611', rank: 1, explanation: { confidence: analysis.cases[0].confidence, because: analysis.cases[0].because, related: analysis.cases[0].related } });
    expect(show.timeline.map((t: { kind: string; actor: string | null }) => `${t.kind}:${t.actor}`)).toEqual(['opened:cli:alice', 'capture:cli:alice', 'analysis:null']);
    const text = run(['investigations', 'show', id]);
    expect(text.stdout).toContain(`${id}: site slow on the first request, SQL login waits`);
    expect(text.stdout).toMatch(/Case matches:\n  1\. 648865412280611 /);

    const badCase = run(['investigations', 'resolve', id, '--cause', 'x', '--fix', 'y', '--case', 'no-such-case']);
    expect([badCase.code, badCase.stdout]).toEqual([2, '']);
    expect(badCase.stderr).toBe('netcase: --case: no case with id "no-such-case" in the case library (netcase cases search TEXT finds ids) (usage: netcase investigations list|show|open|resolve|reopen|dismiss|take|note|export ...)\n');
    const resolved = run(['investigations', 'resolve', id, '--cause', 'reverse lookups of the web server time out before the SQL login', '--fix', 'PTR record added', '--commands', 'nslookup 10.80.2.2', '--case', '648865412280611']);
    expect([resolved.code, resolved.stdout]).toEqual([0, `${id} resolved (case 648865412280611)\n`]);
    expect(JSON.parse(run(['investigations', 'list', '--json']).stdout).investigations).toEqual([]);
    expect(JSON.parse(run(['investigations', 'list', '--status', 'resolved', '--json']).stdout).investigations.map((i: { id: string }) => i.id)).toEqual([id]);

    const out = join(dir, 'draft.md');
    const exported = run(['investigations', 'export', id, '--out', out]);
    expect([exported.code, exported.stdout]).toEqual([0, '']);
    expect(exported.stderr).toMatch(/wrote the draft case page reverse-lookups|wrote the draft case page site-slow-on-the-first-request-sql-login-waits\.md/);
    const page = readFileSync(out, 'utf8');
    expect(parseCasePage('site-slow-on-the-first-request-sql-login-waits.md', page).problems).toEqual([]);
    // The web server's address (the findings' server) is written as a slot: the page is a template.
    expect(page).toContain('    command: "nslookup {server_ip}"');
    const again = run(['investigations', 'export', id, '--out', out]);
    expect([again.code, again.stderr]).toEqual([2, `netcase: ${out}: already exists (netcase does not overwrite; pick another --out) (usage: netcase investigations list|show|open|resolve|reopen|dismiss|take|note|export ...)\n`]);

    const search = JSON.parse(run(['cases', 'search', 'PTR', 'record', '--json']).stdout);
    expect(search.investigations[0]).toMatchObject({ id, caseId: '648865412280611' });

    expect(run(['investigations', 'reopen', id]).stdout).toBe(`${id} reopened\n`);
    expect(run(['investigations', 'take', id]).stdout).toBe(`${id} is owned by alice\n`);
    expect(run(['investigations', 'note', id, 'customer', 'confirmed']).stdout).toBe(`note added to ${id}\n`);
    expect(run(['investigations', 'dismiss', id, '--reason', 'duplicate']).stdout).toBe(`${id} dismissed\n`);
    expect(JSON.parse(run(['investigations', 'list', '--status', 'all', '--json']).stdout).investigations[0]).toMatchObject({ id, status: 'dismissed', owner: 'alice' });
  });

  it('bad input: one line on stderr and exit 2, never a database error', () => {
    const cases: [string[], RegExp][] = [
      [['investigations', 'show', 'NC-000000'], /^netcase: no investigation with id "NC-000000"\n$/],
      [['investigations', 'list', '--status', 'closed'], /^netcase: --status takes open, resolved, dismissed or all, not "closed" \(usage: /],
      [['investigations', 'resolve', 'NC-000000', '--cause', 'x'], /^netcase: resolve needs --cause TEXT and --fix TEXT: /],
      [['investigations', 'open', '--title', 'big', '--symptom', 'y'.repeat(100_000)], /^netcase: symptom is 100000 characters long; at most 20000 are kept\n$/],
      [['investigations', 'frobnicate'], /^netcase: unknown investigations subcommand "frobnicate"/],
      [['migrate', 'sideways'], /^netcase: expected up, down or status: netcase migrate \[up\|down\|status\]/],
      [['purge', '--days', 'soon'], /^netcase: --days takes a whole number of days, not "soon"/],
      [['analyze', SCENARIO('slow-server.pcap'), '--save', '--symptom', 'z'.repeat(30_000)], /^netcase: symptom is 30000 characters long; at most 20000 are kept\n$/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(args);
      expect([args[1], r.code, r.stdout]).toEqual([args[1], 2, '']);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('a capture that cannot be read keeps its investigation, with the reason, and its spool copy goes', () => {
    const bad = join(dir, 'login-page.pcap');
    writeFileSync(bad, '<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
    const r = run(['analyze', bad, '--save', '--symptom', 'upload from the portal']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    const [item] = JSON.parse(run(['investigations', 'list', '--json']).stdout).investigations.filter((i: { title: string }) => i.title === 'upload from the portal');
    const show = JSON.parse(run(['investigations', 'show', item.id, '--json']).stdout);
    expect(show.captures[0]).toMatchObject({ name: 'login-page.pcap', status: 'failed', error: r.stderr.replace(/^netcase: /, '').trimEnd() });
    expect(show.timeline.map((t: { kind: string }) => t.kind)).toEqual(['opened', 'capture', 'analysis-failed']);
    expect(show.captures[0].spoolPath).toBe(null);
    expect(readdirSync(env.NETCASE_SPOOL).filter((f) => f.endsWith('login-page.pcap'))).toEqual([]);
  });

  it('migrate status, down and up; purge applies the retention now', () => {
    const status = run(['migrate', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^applied  2026-11-25-01-investigations  \(.*\)\napplied  2026-11-25-02-answer  \(.*\)\napplied  2026-11-25-03-job-queue  \(.*\)\napplied  2026-11-25-04-unique-upload  \(.*\)\napplied  2026-12-04-05-finding-reasons  \(.*\)\napplied  2026-12-04-06-finding-groups  \(.*\)\napplied  2026-12-04-07-match-explanation  \(/m);
    expect(status.stdout).not.toMatch(/netcase:netcase@/);
    expect(run(['migrate']).stdout).toMatch(/: nothing to apply\n$/);
    expect(run(['migrate', 'down']).stdout).toBe('undone 2026-12-04-07-match-explanation\n');
    expect(run(['migrate', 'down']).stdout).toBe('undone 2026-12-04-06-finding-groups\n');
    expect(run(['migrate', 'down']).stdout).toBe('undone 2026-12-04-05-finding-reasons\n');
    expect(run(['migrate', 'down']).stdout).toBe('undone 2026-11-25-04-unique-upload\n');
    expect(run(['migrate', 'down']).stdout).toBe('undone 2026-11-25-03-job-queue\n');
    expect(run(['migrate', 'down']).stdout).toBe('undone 2026-11-25-02-answer\n');
    expect(run(['migrate', 'down']).stdout).toBe('undone 2026-11-25-01-investigations\n');
    expect(run(['migrate', 'status']).stdout).toMatch(/^pending  2026-11-25-01-investigations\npending  2026-11-25-02-answer\npending  2026-11-25-03-job-queue\npending  2026-11-25-04-unique-upload\npending  2026-12-04-05-finding-reasons\npending  2026-12-04-06-finding-groups\npending  2026-12-04-07-match-explanation$/m);
    expect(run(['migrate', 'up']).stdout).toBe('applied 2026-11-25-01-investigations\napplied 2026-11-25-02-answer\napplied 2026-11-25-03-job-queue\napplied 2026-11-25-04-unique-upload\napplied 2026-12-04-05-finding-reasons\napplied 2026-12-04-06-finding-groups\napplied 2026-12-04-07-match-explanation\n');
    const saved = run(['analyze', SCENARIO('slow-server.pcap'), '--save']);
    expect(saved.stdout).toMatch(/Saved as investigation NC-\w{6} \(netcase investigations show NC-\w{6}\)\.\n$/);
    const purge = run(['purge', '--days', '0', '--json']);
    expect(purge.code).toBe(0);
    expect(JSON.parse(purge.stdout)).toMatchObject({ days: 0, capturesPurged: 1 });
    expect(JSON.parse(purge.stdout).findingsDeleted).toBeGreaterThan(0);
  });
});

describe('choosing the store', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netcase-choose-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to ./data/netcase.db (an empty DATABASE_URL counts as unset), created on first use', () => {
    expect(existsSync(join(dir, 'data', 'netcase.db'))).toBe(false);
    const r = netcaseIn(dir, ['investigations', 'list'], { DATABASE_URL: '', NETCASE_DB: '  ' });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'no open investigations\n', '']);
    expect(existsSync(join(dir, 'data', 'netcase.db'))).toBe(true);
  });

  it('names what is wrong with the store in one line, without the password', () => {
    const notDb = join(dir, 'not-a-db.txt');
    writeFileSync(notDb, 'hello, this is text and not SQLite at all '.repeat(200));
    const cases: [Record<string, string>, string][] = [
      [{ DATABASE_URL: 'mysql://u:secret@host/db' }, 'netcase: DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the SQLite file NETCASE_DB)\n'],
      [{ DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/db' }, 'netcase: cannot connect to PostgreSQL at 127.0.0.1:1/db: connect ECONNREFUSED 127.0.0.1:1 (DATABASE_URL)\n'],
      [{ NETCASE_DB: notDb }, `netcase: ${notDb}: cannot open the SQLite database (file is not a database) (NETCASE_DB)\n`],
      [{ NETCASE_RETENTION_DAYS: 'soon' }, 'netcase: NETCASE_RETENTION_DAYS="soon" is not a positive whole number (unset it to use 90)\n'],
    ];
    for (const [env, line] of cases) {
      const r = netcaseIn(dir, ['investigations', 'list'], env);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', line]);
    }
  });
});
