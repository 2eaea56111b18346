/** The CLI's exit codes, the same for every command. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

export type Outcome = 'completed' | 'bad-input' | 'internal-error';

export function exitCodeFor(outcome: Outcome): number {
  return outcome === 'completed' ? EXIT_OK : outcome === 'bad-input' ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}
