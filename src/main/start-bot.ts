// `npm start`: the Slack bot. Reads .env when present, then the environment.
import { existsSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { StoreError } from '../store/store-error.js';
import { startBot } from './bot.js';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
  const bot = await startBot(process.env);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: `${signal}: stopping` })}\n`);
    bot.stop().then(
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
