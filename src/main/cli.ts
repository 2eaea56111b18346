// Composition root of the command-line interface: real stdout, stderr and environment.
import { once } from 'node:events';
import { runCli } from '../cli/run-cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => (process.stdout.write(text) ? undefined : once(process.stdout, 'drain').then(() => undefined)),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdin: process.stdin,
});
process.exitCode = code;
