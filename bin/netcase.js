#!/usr/bin/env node
// Thin launcher: the CLI itself is compiled to dist/ by `npm run build` (run by `npm ci` via `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('netcase: not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
await import(entry.href);
