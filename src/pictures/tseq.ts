import { TCP_ACK, TCP_SYN } from '../decode/packet.js';
import { RETRANSMITTED, type WirePacket } from './collect.js';
import { COLORS, HEIGHT, WIDTH, document, legend, n, text, ticks } from './svg.js';

const PLOT = { left: 130, right: WIDTH - 50, top: 100, bottom: HEIGHT - 110 };

export interface TseqInput {
  title: string;
  /** The data sender "ip:port" (the direction drawn). */
  sender: string;
  packets: WirePacket[];
  evidence: Set<number>;
}

/**
 * A Stevens-style time-sequence graph of one direction: each data segment a vertical bar from its
 * sequence number to seq+len at its time (retransmissions red), the receiver's ACK line and its
 * receive-window line (ACK + scaled window), zero-window periods shaded; frame numbers on the
 * retransmissions and evidence frames.
 */
export function tseqSvg(input: TseqInput): string {
  const isData = (p: WirePacket) => `${p.src}:${p.sport}` === input.sender;
  const data = input.packets.filter((p) => p.proto === 'tcp' && isData(p));
  const back = input.packets.filter((p) => p.proto === 'tcp' && !isData(p));
  const isn = data.find((p) => p.flags & TCP_SYN)?.seq ?? data[0]?.seq ?? 0;
  const rel = (v: number) => (v - isn + 2 ** 32) % 2 ** 32;
  const scaleOf = (list: WirePacket[]) => Math.max(0, list.find((p) => p.flags & TCP_SYN && p.wscale >= 0)?.wscale ?? 0);
  const backScale = data.some((p) => p.flags & TCP_SYN && p.wscale >= 0) ? scaleOf(back) : 0;
  const t0 = input.packets[0]?.t ?? 0;
  const t1 = Math.max(t0 + 0.001, input.packets.at(-1)?.t ?? t0 + 1);
  const acks = back.filter((p) => p.flags & TCP_ACK).map((p) => ({ t: p.t, ack: rel(p.ack), win: p.flags & TCP_SYN ? p.win : p.win * 2 ** backScale, frame: p.frame }));
  const yMax = Math.max(1, ...data.map((p) => rel(p.seq) + p.len), ...acks.map((a) => a.ack + a.win));
  const X = (t: number) => PLOT.left + ((t - t0) / (t1 - t0)) * (PLOT.right - PLOT.left);
  const Y = (v: number) => PLOT.bottom - (v / yMax) * (PLOT.bottom - PLOT.top);
  const body: string[] = [];
  body.push(text({ x: WIDTH / 2, y: 40 }, input.title, { size: 22, weight: 'bold', anchor: 'middle' }));
  body.push(text({ x: WIDTH / 2, y: 66 }, `data sent by ${input.sender}: ${data.length} segment(s), ${data.filter((p) => p.analysis & RETRANSMITTED).length} retransmitted; frames #${input.packets[0]?.frame ?? '-'} to #${input.packets.at(-1)?.frame ?? '-'}`, { size: 14, anchor: 'middle', fill: COLORS.muted }));
  // Axes with ticks.
  body.push('<g class="axes">');
  for (const v of ticks(t0, t1)) body.push(`<line x1="${n(X(v))}" y1="${PLOT.top}" x2="${n(X(v))}" y2="${PLOT.bottom}" stroke="${COLORS.grid}"/>`, text({ x: X(v), y: PLOT.bottom + 22 }, v.toFixed(v < 10 ? 2 : 1), { size: 13, anchor: 'middle' }));
  for (const v of ticks(0, yMax)) body.push(`<line x1="${PLOT.left}" y1="${n(Y(v))}" x2="${PLOT.right}" y2="${n(Y(v))}" stroke="${COLORS.grid}"/>`, text({ x: PLOT.left - 8, y: Y(v) + 5 }, v >= 1e6 ? `${(v / 1e6).toFixed(1)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)} k` : String(v), { size: 13, anchor: 'end' }));
  body.push(`<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="${COLORS.ink}" stroke-width="2"/><line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="${COLORS.ink}" stroke-width="2"/>`);
  body.push(text({ x: (PLOT.left + PLOT.right) / 2, y: PLOT.bottom + 48 }, 'time (s since capture start)', { size: 15, anchor: 'middle', weight: 'bold' }));
  body.push(`<text x="34" y="${n((PLOT.top + PLOT.bottom) / 2)}" font-size="15" font-weight="bold" text-anchor="middle" fill="${COLORS.ink}" transform="rotate(-90 34 ${n((PLOT.top + PLOT.bottom) / 2)})">relative sequence number (bytes)</text>`);
  body.push('</g>');
  // Zero-window periods: from an ACK advertising 0 until the next one that does not.
  let zeroFrom: number | null = null;
  for (const a of acks) {
    if (a.win === 0 && zeroFrom === null) zeroFrom = a.t;
    else if (a.win > 0 && zeroFrom !== null) {
      body.push(`<rect class="zero-window" x="${n(X(zeroFrom))}" y="${PLOT.top}" width="${n(Math.max(2, X(a.t) - X(zeroFrom)))}" height="${PLOT.bottom - PLOT.top}" fill="${COLORS.zeroWindow}" opacity="0.3"/>`);
      zeroFrom = null;
    }
  }
  if (zeroFrom !== null) body.push(`<rect class="zero-window" x="${n(X(zeroFrom))}" y="${PLOT.top}" width="${n(Math.max(2, PLOT.right - X(zeroFrom)))}" height="${PLOT.bottom - PLOT.top}" fill="${COLORS.zeroWindow}" opacity="0.3"/>`);
  // ACK and window lines as steps.
  const steps = (values: { t: number; v: number }[]) => values.map((p, i) => (i === 0 ? `M ${n(X(p.t))} ${n(Y(p.v))}` : `H ${n(X(p.t))} V ${n(Y(p.v))}`)).join(' ');
  if (acks.length > 0) {
    body.push(`<path class="ack-line" d="${steps(acks.map((a) => ({ t: a.t, v: a.ack })))} H ${PLOT.right}" stroke="${COLORS.ack}" stroke-width="2" fill="none"/>`);
    body.push(`<path class="window-line" d="${steps(acks.map((a) => ({ t: a.t, v: a.ack + a.win })))} H ${PLOT.right}" stroke="${COLORS.window}" stroke-width="2" stroke-dasharray="6 4" fill="none"/>`);
  }
  // Segments.
  let labels = 0;
  for (const p of data) {
    const retrans = (p.analysis & RETRANSMITTED) !== 0;
    const evidence = input.evidence.has(p.frame);
    const top = rel(p.seq) + Math.max(p.len, 0);
    const cls = ['segment', retrans ? 'retransmission' : '', evidence ? 'evidence' : ''].filter(Boolean).join(' ');
    body.push(`<g class="${cls}" data-frame="${p.frame}"><line x1="${n(X(p.t))}" y1="${n(Y(rel(p.seq)))}" x2="${n(X(p.t))}" y2="${n(Math.min(Y(rel(p.seq)) - 3, Y(top)))}" stroke="${retrans ? COLORS.retransmission : COLORS.ink}" stroke-width="${retrans ? 4 : 2}"/>${(retrans || evidence) && labels < 12 ? text({ x: X(p.t) + 5, y: Y(top) - 4, }, `#${p.frame}`, { size: 12, fill: retrans ? COLORS.retransmission : COLORS.ink }) : ''}</g>`);
    if ((retrans || evidence) && labels < 12) labels++;
  }
  body.push(legend({ x: 40, y: HEIGHT - 22 }, [
    { color: COLORS.ink, label: 'data segment (seq to seq+len)' },
    { color: COLORS.retransmission, label: 'retransmission' },
    { color: COLORS.ack, label: 'ACK' },
    { color: COLORS.window, label: 'receive window', dashed: true },
    { color: COLORS.zeroWindow, label: 'zero window' },
  ]));
  return document(input.title, body);
}
