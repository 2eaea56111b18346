import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { netcase } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'netcase-cases-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('netcase cases', () => {
  it('lint passes on the committed library', () => {
    const r = netcase(['cases', 'lint']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ case pages OK\n$/);
  });

  it('lint exits 1 and names the page and problem when a page is bad (NETCASE_CASE_LIBRARY)', () => {
    writeFileSync(join(tmp, '123.md'), '---\nid: 123\ntitle: "t"\n---\n## Summary\n');
    const r = netcase(['cases', 'lint'], { NETCASE_CASE_LIBRARY: tmp });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/123\.md: id must be a quoted string/);
  });

  it('search --json: best first, score 0..1, why', () => {
    const r = netcase(['cases', 'search', '端口耗尽', '--json', '--limit', '3']);
    expect(r.code).toBe(0);
    const { cases } = JSON.parse(r.stdout);
    expect(cases).toHaveLength(3);
    expect(cases[0]).toMatchObject({ id: 'ephemeral-port-exhaustion', why: { fields: expect.any(Array), words: expect.any(Array) } });
    expect(cases[0].score).toBeGreaterThan(cases[1].score);
  });

  it('search with no hit exits 0', () => {
    const r = netcase(['cases', 'search', 'zzqqxx']);
    expect([r.code, r.stdout]).toEqual([0, 'no matching case\n']);
  });

  it('show prints a page; an unknown id is a usage error', () => {
    const r = netcase(['cases', 'show', 'capture-guide']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^capture-guide: /);
    expect(r.stdout).toMatch(/## How to confirm/);
    const json = JSON.parse(netcase(['cases', 'show', '892443418260611', '--json']).stdout);
    expect(json.id).toBe('892443418260611');
    const bad = netcase(['cases', 'show', 'nope']);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/no case with id "nope"/);
  });

  it('analyze shows the answer and its commands ready to copy', () => {
    const r = netcase(['analyze', join(import.meta.dirname, '..', 'fixtures', 'flows', 'ecn-blackhole-data.pcap')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^  Likely cause: Windows Server 2012 .* \(892443418260611; strong\)\n {4}The capture shows what this page is about: tcp\.ect_data_blackhole \(critical, frames /m);
    expect(r.stdout).toMatch(/^ {6}netsh int tcp set global ecncapability=disabled$/m);
  });
});
