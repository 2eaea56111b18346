import type { CaseCommand, CommandEffect } from '../cases/case.js';
import type { PlatformGuess } from './platform-of.js';

/**
 * A page's commands in the order to show them: those for the platforms the capture points to
 * (`primary`; every command when the platform is unknown), the rest behind a button (`other`).
 * Within each, read-only checks come before changes and changes before replacements; then the
 * guessed platforms in their order (the client's first); then the page's own order.
 */
const EFFECT_ORDER: Record<CommandEffect, number> = { check: 0, change: 1, replace: 2 };

export function orderCommands<C extends CaseCommand>(commands: readonly C[], guess: Pick<PlatformGuess, 'platforms'>): { primary: C[]; other: C[] } {
  const rank = (platform: string) => {
    const i = guess.platforms.indexOf(platform);
    return i < 0 ? guess.platforms.length : i;
  };
  const sorted = commands
    .map((c, i) => ({ c, i }))
    .sort((a, b) => EFFECT_ORDER[a.c.effect] - EFFECT_ORDER[b.c.effect] || rank(a.c.platform) - rank(b.c.platform) || a.i - b.i)
    .map((x) => x.c);
  if (guess.platforms.length === 0) return { primary: sorted, other: [] };
  return { primary: sorted.filter((c) => guess.platforms.includes(c.platform)), other: sorted.filter((c) => !guess.platforms.includes(c.platform)) };
}
