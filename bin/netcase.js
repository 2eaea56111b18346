#!/usr/bin/env node
// Thin launcher: the CLI itself is compiled to dist/ by `npm run build` (run by `npm ci` via `prepare`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('netcase: not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}

// `analyze` allocates a lot of short-lived garbage per frame; with V8's default 16 MB semi-spaces
// much of it is promoted and piles up in the old generation. 4 MB semi-spaces keep the peak RSS of a
// 1 GB capture about 30 MB lower at no measurable cost. V8 reads the flag only at start-up, so the
// launcher starts the command again with it (once: the flag marks the second start).
const SEMI_SPACE = '--max-semi-space-size=4';
if (process.argv[2] === 'analyze' && !process.execArgv.includes(SEMI_SPACE)) {
  const child = spawnSync(process.execPath, [SEMI_SPACE, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
await import(entry.href);
