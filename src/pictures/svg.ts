/** Small SVG helpers: every text escaped, numbers rounded, one font family (the committed DejaVu Sans). */
export const WIDTH = 1400;
export const HEIGHT = 800;
export const FONT = 'DejaVu Sans';
export const COLORS = { ink: '#1d3557', retransmission: '#d62828', dupAck: '#e07a00', evidence: '#ffe066', ack: '#2a9d8f', window: '#8d99ae', zeroWindow: '#f4a261', grid: '#e5e5e5', muted: '#6c757d' } as const;

export function x(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function n(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

export function text(at: { x: number; y: number }, content: string, o: { size?: number; anchor?: 'start' | 'middle' | 'end'; weight?: 'bold'; fill?: string; cls?: string } = {}): string {
  return `<text x="${n(at.x)}" y="${n(at.y)}" font-size="${o.size ?? 14}"${o.anchor ? ` text-anchor="${o.anchor}"` : ''}${o.weight ? ' font-weight="bold"' : ''} fill="${o.fill ?? COLORS.ink}"${o.cls ? ` class="${o.cls}"` : ''}>${x(content)}</text>`;
}

export function document(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}">`,
    `<title>${x(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** A legend row: colored swatches with their meaning. */
export function legend(at: { x: number; y: number }, items: { color: string; label: string; dashed?: boolean }[]): string {
  let cx = at.x;
  const parts: string[] = ['<g class="legend">'];
  for (const item of items) {
    parts.push(`<line x1="${n(cx)}" y1="${n(at.y - 5)}" x2="${n(cx + 28)}" y2="${n(at.y - 5)}" stroke="${item.color}" stroke-width="4"${item.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(text({ x: cx + 36, y: at.y }, item.label, { size: 14 }));
    cx += 52 + item.label.length * 8;
  }
  parts.push('</g>');
  return parts.join('');
}

/** Nice tick values for an axis from lo to hi (about `count` of them). */
export function ticks(lo: number, hi: number, count = 6): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? mag * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9 && out.length < 50; v += step) out.push(Math.round(v / step) * step);
  return out;
}
