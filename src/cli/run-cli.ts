import { CaptureError } from '../capture/types.js';
import { CaseLibraryError } from '../cases/load-case-library.js';
import { ConfigError, readConfig, type Config } from '../config.js';
import { InvestigationError } from '../investigations/context.js';
import { StoreError } from '../store/store-error.js';
import { exitCodeFor, type Outcome } from './exit-code.js';
import { UsageError, type CliIo } from './io.js';
import { USAGE } from './usage.js';

type Command = (args: string[], io: CliIo, config: Config) => Promise<Outcome>;

/** Commands load on demand, so `info` does not pay for the decoders' start-up time and memory. */
const COMMANDS: Record<string, { load: () => Promise<Command>; usage: string; summary: string }> = {
  info: {
    load: async () => (await import('./info-command.js')).infoCommand,
    usage: USAGE.info,
    summary: 'what a capture file is and holds (format, link types, packets, times)',
  },
  analyze: {
    load: async () => (await import('./analyze-command.js')).analyzeCommand,
    usage: USAGE.analyze,
    summary: 'the whole pipeline: capture summary, conversations, DNS/TLS/HTTP exchanges',
  },
  cases: {
    load: async () => (await import('./cases-command.js')).casesCommand,
    usage: USAGE.cases,
    summary: 'the case library: check the pages, show one, search them (English and Chinese)',
  },
  decode: {
    load: async () => (await import('./decode-command.js')).decodeCommand,
    usage: USAGE.decode,
    summary: 'one line per frame, tshark-like text or NDJSON',
  },
  investigations: {
    load: async () => (await import('./investigations-command.js')).investigationsCommand,
    usage: 'netcase investigations list|show|open|resolve|reopen|dismiss|take|note|export ...',
    summary: 'the investigations store (SQLite file, or PostgreSQL with DATABASE_URL)',
  },
  migrate: {
    load: async () => (await import('./migrate-command.js')).migrateCommand,
    usage: USAGE.migrate,
    summary: 'bring the store to the latest schema (up), undo one step (down), or list (status)',
  },
  jobs: {
    load: async () => (await import('./jobs-command.js')).jobsCommand,
    usage: USAGE.jobs,
    summary: 'the analysis queue: recent jobs with state and attempts; run a failed one again',
  },
  purge: {
    load: async () => (await import('./migrate-command.js')).purgeCommand,
    usage: USAGE.purge,
    summary: 'delete stored analyses and spooled files older than NETCASE_RETENTION_DAYS',
  },
};

export const VERSION = '0.1.0';

function helpText(): string {
  const rows = [...Object.values(COMMANDS), { usage: 'netcase worker', summary: 'analysis workers only (the Slack bot is npm start); see README "Running at scale"' }, { usage: 'netcase doctor', summary: "the bot's configuration, auth.test, scopes vs manifest.yml, database, queue, spool" }].map((c) => `  ${c.usage.padEnd(40)} ${c.summary}`);
  return ['netcase: packet-capture troubleshooting for support teams', '', 'Usage:', ...rows, '', 'Exit codes: 0 done, 2 bad input or usage, 1 internal error.', ''].join('\n');
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(`netcase: no command given (commands: ${Object.keys(COMMANDS).join(', ')}; see netcase --help)\n`);
    return exitCodeFor('bad-input');
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return exitCodeFor('completed');
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return exitCodeFor('completed');
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`netcase: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see netcase --help)\n`);
    return exitCodeFor('bad-input');
  }
  let debug = false;
  try {
    const config = readConfig(io.env);
    debug = config.debug;
    const run = await command.load();
    return exitCodeFor(await run(rest, io, config));
  } catch (error) {
    return exitCodeFor(reportError(error, io, debug, command.usage));
  }
}

function reportError(error: unknown, io: CliIo, debug: boolean, usage: string): Outcome {
  if (error instanceof CaptureError || error instanceof ConfigError || error instanceof CaseLibraryError || error instanceof StoreError || error instanceof InvestigationError) {
    io.stderr(`netcase: ${oneLine(error.message)}\n`);
    return 'bad-input';
  }
  if (error instanceof UsageError || isParseArgsError(error)) {
    io.stderr(`netcase: ${oneLine((error as Error).message)} (usage: ${usage})\n`);
    return 'bad-input';
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`netcase: internal error: ${oneLine(message)}${debug ? '' : ' (NETCASE_DEBUG=1 shows the stack trace)'}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 'internal-error';
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Longest error line: a message built from an archive's names or a hostile file stays readable. */
const MAX_LINE_CHARS = 1000;

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length <= MAX_LINE_CHARS ? line : `${line.slice(0, MAX_LINE_CHARS)}… (${line.length - MAX_LINE_CHARS} more characters)`;
}
