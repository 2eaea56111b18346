/** The small part of Slack's Block Kit that netcase sends, as plain data (no @slack import here). */
export type Block = Record<string, unknown>;

export interface SlackMessage {
  /** The notification text (also what screen readers and old clients show). */
  text: string;
  blocks: Block[];
}

/** Slack's limits: 50 blocks a message, 3,000 characters a section, about 12,000 of block text. */
export const LIMITS = { blocks: 50, section: 3000, messageText: 12_000, buttonValue: 2000 } as const;

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn.length > LIMITS.section ? `${mrkdwn.slice(0, LIMITS.section - 1)}…` : mrkdwn } };
}

export function context(mrkdwn: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn.slice(0, 2000) }] };
}

export function header(plain: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: plain.slice(0, 150), emoji: true } };
}

export const divider: Block = { type: 'divider' };

export function button(text: string, actionId: string, value: Record<string, string | null>, style?: 'primary' | 'danger'): Block {
  return { type: 'button', text: { type: 'plain_text', text: text.slice(0, 75) }, action_id: actionId, value: JSON.stringify(value).slice(0, LIMITS.buttonValue), ...(style ? { style } : {}) };
}

export function actions(blockId: string, elements: Block[]): Block {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, 25) };
}

/** How many characters of text a block carries (for the per-message budget). */
export function blockTextLength(block: Block): number {
  return JSON.stringify(block).length;
}

/**
 * Fits blocks into one message: required blocks first, then optional ones while the 50-block and
 * text budgets allow. Returns whether something was left out (it goes into the report file).
 */
export function fitBlocks(required: Block[], optional: Block[], tail: Block[]): { blocks: Block[]; overflow: boolean } {
  let budget = LIMITS.messageText - [...required, ...tail].reduce((n, b) => n + blockTextLength(b), 0);
  const room = LIMITS.blocks - required.length - tail.length;
  const chosen: Block[] = [];
  let overflow = false;
  for (const b of optional) {
    const size = blockTextLength(b);
    if (chosen.length >= room || size > budget) {
      overflow = true;
      continue;
    }
    chosen.push(b);
    budget -= size;
  }
  return { blocks: [...required, ...chosen, ...tail], overflow };
}
