import type { CaptureWarning } from '../capture/types.js';

/** Reader warnings after which a command exits 2 once it has printed what it read: the file is damaged there. */
const DAMAGE: ReadonlySet<CaptureWarning['code']> = new Set(['capture.corrupt_record', 'capture.corrupt_compression']);

/** The one stderr line about the first damaged capture (named as the user gave it), or null. */
export function damageLine(captures: { name: string; warnings: CaptureWarning[] }[]): string | null {
  for (const capture of captures) {
    const w = capture.warnings.find((x) => DAMAGE.has(x.code));
    if (w !== undefined) return `netcase: ${capture.name}: ${w.message}\n`;
  }
  return null;
}
