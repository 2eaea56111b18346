import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';
import { PUBLIC_CAPTURES } from './helpers.js';

/** Every .ts file under test/, as paths relative to the repository. */
function testSources(dir = join(ROOT, 'test')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testSources(path);
    return e.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

/** A path that leaves the repository for the sibling `shared/` folder: `'..', '..', '..', 'shared'` or `../shared/`. */
const OUTSIDE = /'\.\.',\s*'\.\.',\s*'\.\.',\s*'shared'|\.\.\/shared\//;

describe('npm test on a fresh clone with nothing beside it', () => {
  it("tcpdump's test captures are committed inside the repository with their licence and origin", () => {
    expect(relative(ROOT, PUBLIC_CAPTURES)).toBe(join('test', 'fixtures', 'public', 'tcpdump-tests'));
    expect(readFileSync(join(PUBLIC_CAPTURES, 'LICENSE'), 'utf8')).toContain('License: BSD');
    expect(readFileSync(join(PUBLIC_CAPTURES, 'README.md'), 'utf8')).toContain('39b50f76672bca4af7d7eb52604c5b692c6b6b2c');
    expect(readdirSync(PUBLIC_CAPTURES).filter((f) => /\.pcap(ng)?$/.test(f)).length).toBeGreaterThanOrEqual(830);
  });

  it('no suite reads ../shared/ unless it skips cleanly when the folder is absent', () => {
    const reaching = testSources().filter((file) => !file.endsWith('fresh-clone.test.ts') && OUTSIDE.test(readFileSync(join(ROOT, file), 'utf8')));
    const unguarded = reaching.filter((file) => !/\.skipIf\(/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(unguarded).toEqual([]);
    expect(existsSync(join(ROOT, 'test', 'fixtures', 'public'))).toBe(true);
  });
});
