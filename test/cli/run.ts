import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = resolve(ROOT, 'bin', 'netcase.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (`npm test` builds first), with a clean environment. */
export function netcase(args: string[], env: Record<string, string> = {}, input?: Buffer): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs a Node script as a child process without blocking this one (a fake server the child calls
 * may live in this process), bounded by `timeoutMs` (then SIGKILL).
 */
export function runNode(script: string, args: string[], env: Record<string, string> = {}, o: { cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: o.cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/**
 * Runs one CLI invocation in this process through runCli (the entry bin/netcase.js calls), with
 * the given environment only: fast enough for fuzzing, and what it returns is what a user sees.
 */
export async function runInProcess(args: string[], env: Record<string, string> = {}, stdin?: Readable): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const { runCli } = await import('../../src/cli/run-cli.js'); // loaded here: the other helpers stay light
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    stdin,
  });
  return { code, stdout, stderr };
}
