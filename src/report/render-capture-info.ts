import type { CaptureInfo } from '../capture/summarize-capture.js';

/** `netcase info` for people: capinfos-like lines, warnings last. */
export function renderCaptureInfoText(info: CaptureInfo): string {
  const lines: string[] = [];
  const format = info.compression === null ? info.format : `${info.format} (${info.compression})`;
  lines.push(`File:        ${info.file}`);
  lines.push(`Format:      ${format}`);
  lines.push(`Link types:  ${info.linkTypes.map((l) => `${l.name} (${l.id})`).join(', ') || 'none'}`);
  for (const i of info.interfaces) {
    const extras = [`snaplen ${i.snaplen}`, `timestamps in ${i.tsResolution}`];
    if (i.drops !== null) extras.push(`${i.drops} dropped`);
    const label = i.name === undefined ? '' : ` ${i.name}`;
    lines.push(`Interface ${i.id}:${label} link type ${i.linkType}, ${extras.join(', ')}`);
  }
  lines.push(`Packets:     ${info.packets}`);
  lines.push(`Bytes:       ${info.bytes} on the wire, ${info.capturedBytes} captured`);
  lines.push(`First:       ${info.firstTime ?? '-'}`);
  lines.push(`Last:        ${info.lastTime ?? '-'}`);
  lines.push(`Duration:    ${info.durationMs === null ? '-' : `${(info.durationMs / 1000).toFixed(6)} s`}`);
  for (const w of info.warnings) lines.push(`Warning:     [${w.code}] ${w.message}`);
  return lines.join('\n') + '\n';
}
