// Composition root of the command-line interface: real stdout, stderr and environment.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { runCli } from '../cli/run-cli.js';

const args = process.argv.slice(2);
if (args[0] === 'doctor') {
  // `netcase doctor`: the bot's configuration and what it depends on, one line each (exit 0 whatever it finds).
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { doctor, renderChecks } = await import('./doctor.js');
  process.stdout.write(renderChecks(await doctor(process.env)));
} else if (args[0] === 'worker') {
  // `netcase worker`: analysis workers only, the same process as `npm start` with NETCASE_ROLE=worker.
  if (args.length > 1) {
    process.stderr.write('netcase: worker takes no arguments; configure it with the environment (see README "Running at scale")\n');
    process.exit(2);
  }
  const { runBotProcess } = await import('./start-bot.js');
  await runBotProcess('worker');
} else {
  const code = await runCli(args, {
    stdout: (text) => (process.stdout.write(text) ? undefined : once(process.stdout, 'drain').then(() => undefined)),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdin: process.stdin,
  });
  process.exitCode = code;
}
