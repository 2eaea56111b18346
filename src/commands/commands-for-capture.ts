import type { CaseCommand } from '../cases/case.js';
import { commandSlots } from './command-slots.js';
import { fillCommand, type FilledText } from './fill-command.js';
import { orderCommands } from './order-commands.js';
import { platformOf, type PlatformGuess } from './platform-of.js';
import type { SlotValues } from './slot-shapes.js';
import { focusFinding, type FindingLike, type SlotSource } from './slot-source.js';

/**
 * One call for the card and the CLI: a page's (or a match's) commands filled from a capture,
 * ordered for the platform the capture points to, each saying how to show it.
 */
export interface FilledCommand extends CaseCommand, FilledText {
  /** run: a command line to paste; registry: a value to set (HKLM\...\Name = data (TYPE)); config: a line for a file or a device. */
  form: 'run' | 'registry' | 'config';
}

export interface CaptureCommands {
  primary: FilledCommand[];
  other: FilledCommand[];
  platform: PlatformGuess;
  slots: SlotValues;
  focus: FindingLike | null;
}

export function commandsForCapture(commands: readonly CaseCommand[], source: SlotSource, focus?: FindingLike | null): CaptureCommands {
  const f = focusFinding(source, focus);
  const slots = commandSlots(source, f);
  const platform = platformOf(source, f);
  const fill = (c: CaseCommand): FilledCommand => ({ ...c, ...fillCommand(c, slots), form: c.shell === 'registry' ? 'registry' : c.shell === 'text' ? 'config' : 'run' });
  const { primary, other } = orderCommands(commands, platform);
  return { primary: primary.map(fill), other: other.map(fill), platform, slots, focus: f };
}
