import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { readBotConfig } from '../../src/main/bot-config.js';
import { chooseReceiver } from '../../src/slack/app.js';

const BASE = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };

describe('bot configuration', () => {
  it('reads defaults; empty values count as unset', () => {
    const c = readBotConfig({ ...BASE, PORT: '', SLACK_APP_TOKEN: '', DIGEST_CHANNEL: ' ', NETCASE_LANG: '' });
    expect(c).toMatchObject({ port: 3000, appToken: null, apiUrl: null, fileOrigins: [], maxCaptureBytes: 1024 * 1048576, channels: null, lang: 'en', digest: null, staleDays: 3, logLevel: 'info' });
    const d = readBotConfig({ ...BASE, DIGEST_CHANNEL: 'C1', NETCASE_CHANNELS: 'C1, C2', SLACK_FILE_ORIGINS: 'https://files.example/x, http://127.0.0.1:9', NETCASE_LANG: 'zh' });
    expect(d.digest).toEqual({ channel: 'C1', cron: '0 9 * * 1-5', tz: 'UTC' });
    expect([...d.channels!]).toEqual(['C1', 'C2']);
    expect(d.fileOrigins).toEqual(['https://files.example', 'http://127.0.0.1:9']);
  });

  it('a missing or malformed variable stops the bot with one line saying which and how to fix it', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token/],
      [{ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN must be a bot token starting with xoxb-/],
      [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET is not set: copy the Signing Secret/],
      [{ ...BASE, SLACK_APP_TOKEN: 'xoxb-2' }, /^SLACK_APP_TOKEN must be an app-level token starting with xapp-/],
      [{ ...BASE, PORT: '70000' }, /^PORT="70000" is not a whole number from 1 to 65535/],
      [{ ...BASE, SLACK_API_URL: 'https://slack.example/api' }, /^SLACK_API_URL must be an http\(s\) URL ending in \/api\//],
      [{ ...BASE, SLACK_FILE_ORIGINS: 'files.example' }, /^SLACK_FILE_ORIGINS: "files.example" is not an http\(s\) origin/],
      [{ ...BASE, NETCASE_LANG: 'fr' }, /^NETCASE_LANG="fr" must be en or zh/],
      [{ ...BASE, DIGEST_CRON: 'every monday' }, /^DIGEST_CRON="every monday" is not a cron expression/],
      [{ ...BASE, DIGEST_TZ: 'Mars/Olympus' }, /^DIGEST_TZ="Mars\/Olympus" is not an IANA time zone/],
      [{ ...BASE, NETCASE_MAX_CAPTURE_MB: '0' }, /^NETCASE_MAX_CAPTURE_MB="0" is not a whole number/],
      [{ ...BASE, LOG_LEVEL: 'loud' }, /^LOG_LEVEL="loud" must be debug, info, warn or error/],
    ];
    for (const [env, pattern] of cases) {
      let error: unknown;
      try {
        readBotConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(pattern);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('chooses Socket Mode when SLACK_APP_TOKEN is set, else the HTTP receiver', () => {
    expect(chooseReceiver({ appToken: null, signingSecret: 's', logLevel: 'error' }).kind).toBe('http');
    const socket = readBotConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A-1-x' });
    expect(socket.signingSecret).toBe(null);
    expect(chooseReceiver({ appToken: socket.appToken, signingSecret: null, logLevel: 'error' }).kind).toBe('socket');
  });
});
