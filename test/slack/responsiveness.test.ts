import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/main/bot.js';
import { FAKE_TOKEN, startFakeSlack, type FakeSlack } from './fake-slack.mjs';
import { postCommand, postEvent, SIGNING_SECRET } from './signed.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Generous bounds that catch blocking, not performance targets (those are in `npm run bench`):
 * while a large capture is downloaded, spooled and analysed, the bot's event loop never stalls
 * for a second and a slash command is still acknowledged at once.
 */
describe('the bot stays responsive while a large capture is analysed', () => {
  let fake: FakeSlack;
  let bot: RunningBot;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netcase-big-'));
    const { generateCapture } = (await import(resolve(ROOT, 'bench', 'generate-capture.mjs'))) as { generateCapture: (o: { out: string; frames: number }) => unknown };
    const file = join(dir, 'big.pcap');
    await generateCapture({ out: file, frames: 120_000 });
    fake = await startFakeSlack();
    fake.files.set('FBIG', readFileSync(file));
    bot = await startBot({ SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, NETCASE_DB: join(dir, 'db.sqlite'), NETCASE_SPOOL: join(dir, 'spool'), LOG_LEVEL: 'error' }, { port: 0, write: () => {} });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no event-loop stall of a second, and commands are acknowledged before any work', async () => {
    expect(statSync(join(dir, 'big.pcap')).size).toBeGreaterThan(50_000_000);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const ack = await postEvent(bot.port!, { type: 'message', subtype: 'file_share', channel: 'CBIG', user: 'U1', ts: '1700009000.000100', text: 'big one', files: [{ id: 'FBIG', name: 'big.pcap', filetype: 'pcap', mode: 'hosted', url_private_download: fake.fileUrl('FBIG') }] });
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(1000);
    // Mid-analysis: the first progress bar is up.
    await fake.until(() => fake.of('chat.update').find((c) => JSON.stringify(c.args.blocks).includes('Analysing')), 60_000);
    const command = await postCommand(bot.port!, { text: 'help', channel_id: 'CBIG', response_url: fake.responseUrl('busy') });
    expect(command.status).toBe(200);
    expect(command.ms).toBeLessThan(1000);
    await fake.until(() => fake.of('chat.update').find((c) => JSON.stringify(c.args.blocks).includes('nc_resolve')), 120_000);
    lag.disable();
    expect(lag.max / 1e6).toBeLessThan(1000);
    // Progress edits: at most one every 2 seconds.
    const progress = fake.of('chat.update').filter((c) => JSON.stringify(c.args.blocks).includes('Analysing'));
    for (let i = 1; i < progress.length; i++) expect(progress[i].at - progress[i - 1].at).toBeGreaterThanOrEqual(1900);
  });
});
