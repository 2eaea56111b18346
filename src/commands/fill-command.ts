import { isSlotName, slotPattern, type SlotName } from '../cases/command-template.js';
import { joinList, placeholder, safeValue, type SlotValues } from './slot-shapes.js';

/**
 * A case page's command template with a capture's values in its slots. A slot the capture cannot
 * fill (or fills with a value of the wrong shape) shows as its placeholder, `<SERVER_IP>`: visibly
 * not a value, so nobody pastes an example address into a customer's system.
 */
export interface FilledText {
  text: string;
  /** Slots whose whole value came from the capture. */
  filled: SlotName[];
  /** Slots shown as a placeholder, wholly or partly (a suffix list whose missing suffix is unknown). */
  unfilled: string[];
}

export function fillCommand(template: { command: string; shell: string }, slots: SlotValues): FilledText {
  const filled = new Set<SlotName>();
  const unfilled = new Set<string>();
  const text = template.command.replace(slotPattern(), (_whole, name: string) => {
    const value = isSlotName(name) ? safeValue(name, slots[name]) : null;
    if (value === null) {
      unfilled.add(name);
      return placeholder(name);
    }
    const shown = typeof value === 'string' ? value : joinList(value, template.shell);
    if (/<[A-Z][A-Z0-9_]*>/.test(shown)) unfilled.add(name);
    else filled.add(name as SlotName);
    return shown;
  });
  return { text, filled: [...filled], unfilled: [...unfilled] };
}
