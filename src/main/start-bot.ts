// `npm start` (bot and workers, NETCASE_ROLE) and `netcase worker` (workers only).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config.js';
import { StoreError } from '../store/store-error.js';
import { startBot } from './bot.js';
import { installCrashPolicy } from './crash-policy.js';
import type { BotConfig } from './bot-config.js';

/** Runs the bot process until SIGTERM/SIGINT; returns only by exiting. */
export async function runBotProcess(role?: BotConfig['role']): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const line = (level: string, msg: string, fields: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  let bot: Awaited<ReturnType<typeof startBot>> | null = null;
  installCrashPolicy(process, { log: line, stop: () => bot?.stop() ?? Promise.resolve() });
  try {
    bot = await startBot(process.env, { role });
    const running = bot;
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      line('info', `${signal}: stopping`);
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StoreError) {
      process.stderr.write(`netcase: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`netcase: internal error: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

// Run directly (npm start): start; imported (netcase worker): the caller starts it.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await runBotProcess();
