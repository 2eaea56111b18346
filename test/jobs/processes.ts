import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const START = resolve(import.meta.dirname, '..', '..', 'dist', 'src', 'main', 'start-bot.js');

export interface BotProcess {
  child: ChildProcess;
  port: number | null;
  pid: number;
  log: () => string;
  /** SIGTERM and wait (bounded); SIGKILL if it does not stop. */
  stop(): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** Starts `npm start`'s entry point as its own process (a bot, a worker, or both) and waits until it is up. */
export async function startProcess(env: Record<string, string>, role: 'bot' | 'worker' | 'all'): Promise<BotProcess> {
  const port = role === 'worker' ? null : await freePort();
  const child = spawn(process.execPath, [START], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, NETCASE_ROLE: role, ...(port ? { PORT: String(port) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes('netcase bot started')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`process did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    port,
    pid: child.pid!,
    log: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
