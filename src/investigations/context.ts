import type { StoreDb } from '../store/dialect.js';

/** What every investigation operation needs: the database and a clock (fixed in tests). */
export interface InvestigationsContext {
  store: StoreDb;
  now: () => Date;
}

/** Bad input to an investigation operation (an unknown id, a wrong state, a 1 MB symptom): exit 2, one line. */
export class InvestigationError extends Error {
  override name = 'InvestigationError';
}

export const LIMITS = { title: 200, symptom: 20_000, note: 4_000, resolutionField: 10_000, actor: 100, ticket: 100 } as const;

/** Trims a text field and checks its length; empty becomes null unless required. */
export function textField(name: string, value: string | null | undefined, max: number, required: true): string;
export function textField(name: string, value: string | null | undefined, max: number, required?: false): string | null;
export function textField(name: string, value: string | null | undefined, max: number, required = false): string | null {
  const v = value?.trim() ?? '';
  if (v === '') {
    if (required) throw new InvestigationError(`${name} is required`);
    return null;
  }
  if (v.length > max) throw new InvestigationError(`${name} is ${v.length} characters long; at most ${max} are kept`);
  return v;
}
