#!/usr/bin/env node
// Slack path benchmark (part of `npm run bench`, which builds first). See bench/README.md.
//
//   node bench/slack.mjs [--runs 10] [--mb 10]
//
// The built bot (dist/) and the fake Slack of the tests (test/slack/fake-slack.mjs) run in this
// process on 127.0.0.1. For each run a signed file_share event with a synthetic capture of about
// --mb MB is posted to /slack/events; measured are the time from the event to the first thread
// reply (the status message) and to the findings (the chat.update carrying the result buttons).
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCapture } from './generate-capture.mjs';
import { renderTable } from './lib/format.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, mb: { type: 'string', default: '10' } } });
const RUNS = Math.max(1, Math.min(100, Number(values.runs)));
const SECRET = 'bench-signing-secret';
const GOALS = { firstReplyMs: 1000, findingsMs: 3000 };

const { startFakeSlack, FAKE_TOKEN } = await import(join(ROOT, 'test', 'slack', 'fake-slack.mjs'));
const { startBot } = await import(join(ROOT, 'dist', 'src', 'main', 'bot.js'));

const dir = mkdtempSync(join(tmpdir(), 'netcase-slack-bench-'));
const capture = join(dir, 'capture.pcap');
// About 770 bytes a frame in the synthetic traffic mix.
await generateCapture({ out: capture, frames: Math.round((Number(values.mb) * 1e6) / 770) });
const fake = await startFakeSlack();
fake.files.set('FBENCH', readFileSync(capture));
const bot = await startBot(
  { SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, NETCASE_DB: join(dir, 'netcase.db'), NETCASE_SPOOL: join(dir, 'spool'), LOG_LEVEL: 'error' },
  { port: 0, write: () => {} },
);

function sign(body) {
  const ts = Math.floor(Date.now() / 1000);
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}` };
}

const firstReply = [];
const findings = [];
const acks = [];
for (let i = 0; i < RUNS; i++) {
  const ts = `1800000000.${String(i).padStart(6, '0')}`;
  // A new file id each run: the bot analyses a Slack file once.
  const id = `FBENCH${i}`;
  fake.files.set(id, fake.files.get('FBENCH'));
  const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: `EvBench${i}`, event: { type: 'message', subtype: 'file_share', channel: 'CBENCH', user: 'U1', ts, text: 'bench', files: [{ id, name: 'bench.pcap', filetype: 'pcap', mode: 'hosted', url_private_download: fake.fileUrl(id) }] } });
  const results = () => fake.of('chat.update').filter((c) => JSON.stringify(c.args.blocks).includes('nc_resolve')).length;
  const before = results();
  const start = Date.now();
  const res = await fetch(`http://127.0.0.1:${bot.port}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...sign(body) }, body });
  acks.push(Date.now() - start);
  if (res.status !== 200) throw new Error(`event answered ${res.status}`);
  const reply = await fake.until(() => fake.of('chat.postMessage').find((c) => c.args.thread_ts === ts), 60_000);
  firstReply.push(reply.at - start);
  await fake.until(() => results() > before, 120_000);
  findings.push(fake.of('chat.update').filter((c) => JSON.stringify(c.args.blocks).includes('nc_resolve')).at(-1).at - start);
}
await bot.stop();
await fake.close();
const size = statSync(capture).size;
rmSync(dir, { recursive: true, force: true });

const pct = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
const ms = (n) => `${Math.round(n)} ms`;
const row = (name, list, goal) => [name, ms(pct(list, 50)), ms(pct(list, 95)), ms(Math.max(...list)), goal === null ? '' : `${ms(goal)} ${pct(list, 95) < goal ? 'PASS' : 'FAIL'}`];
console.log(`Slack path: ${RUNS} uploads of a ${(size / 1e6).toFixed(1)} MB capture through the fake Slack (bot and fake in one process)`);
const columns = ['measure', 'p50', 'p95', 'max', 'goal (p95)'].map((header, i) => ({ header, align: i === 0 ? 'left' : 'right', cell: (r) => r[i] }));
console.log(renderTable(columns, [
  row('event acknowledged', acks, null),
  row('event -> first thread reply', firstReply, GOALS.firstReplyMs),
  row('event -> findings', findings, GOALS.findingsMs),
]));
