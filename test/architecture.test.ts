import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Keeps the house style's import directions true: arrows point downstream only
 * (capture <- decode <- flows <- checks -> findings <- cases; analysis composes them), Slack and CLI
 * never import each other, and each third-party edge has exactly one owner folder.
 */
const SRC = resolve(import.meta.dirname, '..', 'src');

/** Which src folders each folder may import (its own folder is always allowed). */
const ALLOWED: Record<string, string[]> = {
  capture: [],
  decode: ['capture'],
  flows: ['capture', 'decode'],
  findings: [],
  checks: ['capture', 'decode', 'flows', 'findings'],
  cases: ['findings'],
  // Case-page commands filled from an analysis (pure): slot values, platform guess, order.
  commands: ['flows', 'findings', 'cases', 'analysis'],
  analysis: ['capture', 'decode', 'flows', 'checks', 'findings', 'cases', 'pictures'],
  pictures: ['capture', 'decode', 'flows', 'findings', 'analysis'],
  store: ['findings', 'config.ts'],
  investigations: ['capture', 'analysis', 'findings', 'cases', 'commands', 'store', 'config.ts'],
  jobs: ['store', 'config.ts'],
  report: ['capture', 'decode', 'flows', 'findings', 'cases', 'commands', 'analysis', 'investigations'],
  slack: ['capture', 'analysis', 'findings', 'cases', 'commands', 'investigations', 'report', 'config.ts'],
  cli: ['capture', 'decode', 'flows', 'checks', 'findings', 'cases', 'commands', 'analysis', 'pictures', 'store', 'investigations', 'jobs', 'report', 'config.ts'],
  main: ['capture', 'decode', 'flows', 'checks', 'findings', 'cases', 'commands', 'analysis', 'store', 'investigations', 'jobs', 'report', 'slack', 'cli', 'config.ts'],
  // The measuring tool (npm run eval): reads labelled captures and runs the pipeline on them.
  eval: ['capture', 'findings', 'cases', 'analysis', 'config.ts'],
  'config.ts': [],
};

/** Third-party packages and the only folder (or folders) that may import each. */
const PACKAGE_OWNER: Record<string, string | string[]> = {
  yauzl: 'capture',
  // Case pages' front matter, and the evaluation's labels.
  yaml: ['cases', 'eval'],
  kysely: 'store',
  'better-sqlite3': 'store',
  pg: 'store',
  'pg-boss': 'jobs',
  '@slack/bolt': 'slack',
  '@slack/web-api': 'slack',
  'node-cron': 'main',
  pino: 'main',
  '@resvg/resvg-js': 'pictures',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(pattern)) found.push(m[1] ?? m[2] ?? m[3]);
  return found;
}

/** The top-level unit of src a path belongs to: a folder name, or a top-level file name. */
function unitOf(absPath: string): string {
  return relative(SRC, absPath).split(/[\\/]/)[0].replace(/\.js$/, '.ts');
}

function violations(): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const unit = unitOf(file);
    const allowed = ALLOWED[unit];
    const rel = relative(SRC, file);
    if (allowed === undefined) {
      problems.push(`${rel}: src/${unit} is not a known pipeline folder (add it to the allow-list on purpose)`);
      continue;
    }
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = unitOf(resolve(dirname(file), spec));
        if (target !== unit && !allowed.includes(target)) problems.push(`${rel} imports ${spec} (${unit} may not depend on ${target})`);
      } else if (!spec.startsWith('node:')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        const owner = PACKAGE_OWNER[pkg];
        if (owner === undefined) problems.push(`${rel} imports ${pkg}, which has no owner folder in this test`);
        else if (!(Array.isArray(owner) ? owner : [owner]).includes(unit)) problems.push(`${rel} imports ${pkg}; only src/${[owner].flat().join(', src/')} may`);
      }
    }
  }
  return problems;
}

describe('architecture', () => {
  it('keeps import arrows pointing downstream and third-party edges in their owner folder', () => {
    expect(violations()).toEqual([]);
  });

  it('reads the import forms it polices', () => {
    const text = "import a from './a.js';\nimport type { B } from '../b.js';\nexport { c } from \"./c.js\";\nconst d = await import('./d.js');\nimport './e.js';";
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js']);
  });

  it('slack and cli never import each other', () => {
    expect(ALLOWED.slack).not.toContain('cli');
    expect(ALLOWED.cli).not.toContain('slack');
  });
});
