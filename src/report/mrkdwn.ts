/**
 * Untrusted text (capture contents, file names, user words) on its way into Slack mrkdwn.
 * Slack's control characters are &, < and >: escaped, `<!channel>` or `<@U123>` from a DNS name
 * becomes plain text and pings nobody. Messages are also sent without link_names or parse=full.
 */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code: escaped, and without backticks that would end the span early. */
export function code(text: string): string {
  return `\`${esc(text.replace(/`/g, "'").replace(/\n/g, ' '))}\``;
}

/** A code block for a command to copy: escaped, and without a ``` that would end it early. */
export function codeBlock(text: string): string {
  return `\`\`\`${esc(text.replace(/```/g, "'''"))}\`\`\``;
}

/** At most `max` characters, cut at the end with an ellipsis. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Bold, for already-escaped text. */
export function bold(escaped: string): string {
  return escaped === '' ? '' : `*${escaped.replace(/\*/g, '∗')}*`;
}
