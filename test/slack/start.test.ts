import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, startFakeSlack, type FakeSlack } from './fake-slack.mjs';
import { SIGNING_SECRET } from './signed.js';
import { runNode } from '../cli/run.js';
import { freePort } from '../jobs/processes.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const START = resolve(ROOT, 'dist', 'src', 'main', 'start-bot.js');

/** `npm start` as a user runs it: the built entry point, its exit codes, /healthz and SIGTERM. */
describe('npm start', () => {
  let fake: FakeSlack;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), 'netcase-start-'));
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with one line and exit 2 when a variable is missing or Slack refuses the token', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const missing = spawnSync(process.execPath, [START], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
    expect([missing.status, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(/^netcase: SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token .*\n$/);
    // Asynchronously: the fake Slack answering auth.test lives in this process.
    const refused = await runNode(START, [], { ...env, SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl }, { cwd: dir, timeoutMs: 30_000 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('netcase: Slack refused SLACK_BOT_TOKEN at auth.test (invalid_auth): copy the Bot User OAuth Token again from "OAuth & Permissions" and check SLACK_API_URL\n');
  });

  it('starts, answers /healthz, and stops on SIGTERM with exit 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [START], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!out.includes('netcase bot started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const started = JSON.parse(out.split('\n').find((l) => l.includes('netcase bot started'))!);
      expect(started).toMatchObject({ level: 'info', mode: 'http', port, team: 'Test', store: 'data/netcase.db' });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
      expect(out).not.toContain(FAKE_TOKEN);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
