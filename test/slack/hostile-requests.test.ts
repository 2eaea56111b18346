import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type BotProcess } from '../jobs/processes.js';
import { FAKE_TOKEN, startFakeSlack, type FakeSlack } from './fake-slack.mjs';
import { eventBody, postEvent, SIGNING_SECRET, signedPost } from './signed.js';

const SCENARIO = (name: string) => readFileSync(resolve(import.meta.dirname, '..', 'fixtures', 'scenarios', name));

/**
 * Correctly signed requests that are not what Slack sends, against `npm start`'s own process (the
 * real Bolt HTTP receiver): none of them may end the process, and stamps far from our clock are
 * refused like a bad signature.
 */
describe('hostile signed requests against the bot process', () => {
  let fake: FakeSlack;
  let dir: string;
  let bot: BotProcess;
  beforeAll(async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), 'netcase-hostile-'));
    bot = await startProcess({ SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, NETCASE_DB: join(dir, 'netcase.db'), NETCASE_SPOOL: join(dir, 'spool') }, 'all');
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const alive = async () => {
    expect([bot.child.exitCode, bot.child.signalCode]).toEqual([null, null]);
    const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    expect(health.status).toBe(200);
  };

  it('a body that is JSON null, form payload=null, or any other non-object is refused with 400 and the process keeps serving', async () => {
    const bodies: [string, string][] = [
      ['null', 'application/json'],
      ['payload=null', 'application/x-www-form-urlencoded'],
      ['[]', 'application/json'],
      ['5', 'application/json'],
      ['"text"', 'application/json'],
      ['payload=%5B%5D', 'application/x-www-form-urlencoded'],
      ['ssl_check=1&ssl_check=2&payload=null', 'application/x-www-form-urlencoded'],
    ];
    for (const [body, type] of bodies) {
      expect([body, (await signedPost(bot.port!, body, type)).status]).toEqual([body, 400]);
      await new Promise((r) => setTimeout(r, 50));
      await alive();
    }
    // Unsigned, the same bodies are still a bad signature; Slack's unsigned SSL check still works.
    expect((await signedPost(bot.port!, 'null', 'application/json', { secret: 'wrong' })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${bot.port}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'ssl_check=1&token=x' })).status).toBe(200);
    // And the process still does its work: an upload gets its findings.
    fake.files.set('FAFTER', SCENARIO('syn-silent-drop.pcap'));
    const event = { type: 'message', subtype: 'file_share', channel: 'CNET', user: 'U1', ts: '1700500000.000100', text: '', files: [{ id: 'FAFTER', name: 'after.pcap', filetype: 'pcap', mode: 'hosted', url_private_download: fake.fileUrl('FAFTER') }] };
    expect((await postEvent(bot.port!, event)).status).toBe(200);
    await fake.until(() => fake.of('chat.update').find((c) => JSON.stringify(c.args.blocks).includes('tcp.syn_unanswered')));
    await alive();
    const refused = bot.log().split('\n').filter((l) => l.includes('"request refused"')).map((l) => JSON.parse(l));
    expect(refused.filter((r) => r.status === 400 && r.level === 'warn')).toHaveLength(bodies.length);
  });

  it('a signed request stamped more than 5 minutes away, ahead or behind, gets 401 like a bad signature', async () => {
    const quiet = eventBody({ type: 'message', channel: 'CNET', user: 'U1', ts: '1700500001.000100', text: 'hello' });
    const status = async (ageS: number) => (await signedPost(bot.port!, quiet, 'application/json', { ageS })).status;
    expect(await status(-3600)).toBe(401);
    expect(await status(-365 * 86_400)).toBe(401);
    expect(await status(-6 * 60)).toBe(401);
    expect(await status(6 * 60)).toBe(401);
    // Within the window either way (clocks drift a little): accepted.
    expect(await status(-4 * 60)).toBe(200);
    expect(await status(4 * 60)).toBe(200);
    await alive();
  });
});
