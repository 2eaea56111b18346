import { redactReason } from '../investigations/redact-reason.js';
import { cut } from '../report/mrkdwn.js';
import type { BotDeps } from './deps.js';

/**
 * A failure reason as the thread shows it: no spool path or other file under the spool (the
 * capture is named as the user uploaded it), no credentials (redact-reason.ts), and without the
 * capture's name in front, since the message around it names the capture already.
 */
export function publicReason(deps: Pick<BotDeps, 'spoolDir'>, text: string, name: string, max = 500): string {
  const redacted = redactReason(text, { name, dirs: [deps.spoolDir] });
  return cut(redacted.startsWith(`${name}: `) ? redacted.slice(name.length + 2) : redacted, max);
}
