import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openQueue } from '../jobs/open-queue.js';
import { openStore } from '../store/open-store.js';
import { verifyToken } from '../slack/web-notifier.js';
import { readBotConfig } from './bot-config.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** The bot scopes manifest.yml asks for (its oauth_config.scopes.bot list). */
export async function manifestScopes(): Promise<string[]> {
  const text = await readFile(fileURLToPath(new URL('../../../manifest.yml', import.meta.url)), 'utf8').catch(() => readFile(fileURLToPath(new URL('../../manifest.yml', import.meta.url)), 'utf8'));
  const block = /\n {4}bot:\n((?: {6}(?:- [^\n]*|#[^\n]*)\n)+)/.exec(text)?.[1] ?? '';
  return [...block.matchAll(/^ {6}- ([\w:.]+)/gm)].map((m) => m[1]).sort();
}

/**
 * `netcase doctor`: configuration, auth.test, the granted scopes against manifest.yml, the
 * database, the job queue and the spool, one line each. Exit 0 whatever it finds (the work is the
 * checking); each failed check says what to fix.
 */
export async function doctor(env: Record<string, string | undefined>): Promise<Check[]> {
  const checks: Check[] = [];
  let config;
  try {
    config = readBotConfig(env);
    checks.push({ name: 'configuration', ok: true, detail: `${config.appToken ? 'Socket Mode' : `HTTP on port ${config.port}`}, role ${config.role}, store ${config.database.kind}` });
  } catch (error) {
    checks.push({ name: 'configuration', ok: false, detail: (error as Error).message });
    return checks;
  }
  try {
    const auth = await verifyToken(config.botToken, config.apiUrl ? { slackApiUrl: config.apiUrl } : {});
    checks.push({ name: 'slack auth.test', ok: true, detail: `team ${auth.team ?? '?'}, bot user ${auth.userId ?? '?'}` });
    const wanted = await manifestScopes();
    const granted = auth.scopes;
    if (granted === null) checks.push({ name: 'slack scopes', ok: false, detail: 'Slack did not say which scopes the token has' });
    else {
      const missing = wanted.filter((s) => !granted.includes(s));
      const extra = granted.filter((s) => !wanted.includes(s));
      checks.push({ name: 'slack scopes', ok: missing.length === 0, detail: missing.length === 0 ? `all ${wanted.length} of manifest.yml${extra.length ? ` (also granted: ${extra.join(', ')})` : ''}` : `missing ${missing.join(', ')}: add them under "OAuth & Permissions" (or recreate the app from manifest.yml) and reinstall` });
    }
  } catch (error) {
    checks.push({ name: 'slack auth.test', ok: false, detail: (error as Error).message });
  }
  try {
    const store = await openStore(config.database);
    try {
      await store.db.selectFrom('investigation').select('id').limit(1).execute();
      checks.push({ name: 'database', ok: true, detail: store.describe });
      const queue = await openQueue(config.database, store, { retryLimit: config.jobRetries, retryDelayS: 5, expireInS: config.maxAnalysisS * 2, pollMs: 1000 }, undefined, false);
      const jobs = await queue.list(200);
      await queue.close();
      const waiting = jobs.filter((j) => j.state === 'created' || j.state === 'retry').length;
      checks.push({ name: 'job queue', ok: true, detail: `${queue.kind}: ${waiting} waiting, ${jobs.filter((j) => j.state === 'active').length} running, ${jobs.filter((j) => j.state === 'failed').length} failed of the last ${jobs.length}` });
    } finally {
      await store.close();
    }
  } catch (error) {
    checks.push({ name: 'database', ok: false, detail: (error as Error).message });
  }
  try {
    await mkdir(config.spoolDir, { recursive: true });
    const probe = join(config.spoolDir, `.doctor-${process.pid}`);
    await writeFile(probe, 'x');
    await rm(probe);
    checks.push({ name: 'spool', ok: true, detail: `${config.spoolDir} is writable` });
  } catch (error) {
    checks.push({ name: 'spool', ok: false, detail: `${config.spoolDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (NETCASE_SPOOL)` });
  }
  return checks;
}

export function renderChecks(checks: Check[]): string {
  const bad = checks.filter((c) => !c.ok).length;
  return `${checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`).join('\n')}\n${bad === 0 ? 'all checks passed' : `${bad} check(s) failed`}\n`;
}
