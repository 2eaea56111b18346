import { TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../decode/packet.js';
import { TA_DUPLICATE_ACK, TA_ZERO_WINDOW } from '../flows/tcp-analysis.js';
import { RETRANSMITTED, type WirePacket } from './collect.js';
import { COLORS, HEIGHT, WIDTH, document, legend, n, text } from './svg.js';

/** At most this many arrows (about 20 px a row leaves room for each label). */
const MAX_ARROWS = 30;
const LEFT = 330;
const RIGHT = 1180;
const TOP = 120;
const BOTTOM = HEIGHT - 70;

export interface LadderInput {
  title: string;
  /** Left and right hosts as "ip:port" (or "ip" for name resolution). */
  left: string;
  right: string;
  packets: WirePacket[];
  evidence: Set<number>;
  /** Which side a packet starts from. */
  fromLeft: (p: WirePacket) => boolean;
}

const FLAG_NAMES: [number, string][] = [[TCP_SYN, 'SYN'], [TCP_ACK, 'ACK'], [TCP_FIN, 'FIN'], [TCP_RST, 'RST'], [TCP_PSH, 'PSH'], [TCP_ECE, 'ECE'], [TCP_CWR, 'CWR']];
const ECN_NAMES = ['', 'ECT(1)', 'ECT(0)', 'CE'];

/** The label over one arrow: flags, seq/ack/len relative to each side's first sequence number, ECN, marks. */
export function arrowLabel(p: WirePacket, base: Map<string, number>, peerBase: Map<string, number>): string {
  if (p.proto !== 'tcp') return `${p.label || `${p.proto.toUpperCase()} ${p.sport} > ${p.dport}`}  (${p.src} > ${p.dst})`;
  const key = `${p.src}:${p.sport}`;
  const rel = (v: number, b: number | undefined) => (b === undefined ? v : (v - b + 2 ** 32) % 2 ** 32);
  const flags = FLAG_NAMES.filter(([bit]) => p.flags & bit).map(([, name]) => name).join(', ');
  const parts = [flags, `seq=${rel(p.seq, base.get(key))}`];
  if (p.flags & TCP_ACK) parts.push(`ack=${rel(p.ack, peerBase.get(key))}`);
  parts.push(`len=${p.len}`);
  if (p.flags & TCP_SYN && !(p.flags & TCP_ACK)) parts.push(`to ${p.dst}:${p.dport}`);
  if (p.ecn) parts.push(ECN_NAMES[p.ecn]);
  if (p.analysis & RETRANSMITTED) parts.push('RETRANSMISSION');
  if (p.analysis & TA_DUPLICATE_ACK) parts.push('DUP ACK');
  if (p.analysis & TA_ZERO_WINDOW) parts.push('ZERO WINDOW');
  return parts.join('  ');
}

/**
 * A ladder (sequence) diagram: the two hosts as vertical lines, one arrow per frame with its time
 * and frame number, flags, seq/ack/len and ECN marks; retransmissions red and dashed, duplicate
 * ACKs orange, evidence frames on a yellow band; long gaps drawn as breaks with their duration;
 * at most 40 arrows, the middle of a longer exchange elided.
 */
export function ladderSvg(input: LadderInput): string {
  const all = input.packets;
  const shown = keepAround(all, input.evidence);
  // Relative sequence numbers: each side's first sequence number (its SYN's, when seen) is 0.
  const base = new Map<string, number>();
  for (const p of all) if (p.proto === 'tcp' && !base.has(`${p.src}:${p.sport}`)) base.set(`${p.src}:${p.sport}`, p.seq);
  const peerBase = new Map<string, number>();
  for (const p of all) if (p.proto === 'tcp') peerBase.set(`${p.src}:${p.sport}`, base.get(`${p.dst}:${p.dport}`) ?? 0);
  const gaps = shown.map((row, i) => {
    const prev = shown[i - 1];
    if (i === 0 || 'elided' in row || prev === undefined || 'elided' in prev) return 0;
    return row.t - prev.t;
  });
  const rows = shown.length + gaps.filter((g) => g >= 1).length;
  const step = Math.max(16, Math.min(34, (BOTTOM - TOP - 20) / Math.max(1, rows)));
  const body: string[] = [];
  body.push(text({ x: WIDTH / 2, y: 40 }, input.title, { size: 22, weight: 'bold', anchor: 'middle' }));
  const elided = all.length - shown.filter((r) => !('elided' in r)).length;
  body.push(text({ x: WIDTH / 2, y: 66 }, `${all.length} frame(s) from #${all[0]?.frame ?? '-'} to #${all.at(-1)?.frame ?? '-'}${elided > 0 ? `, ${elided} elided (the start, the end and the evidence frames are kept)` : ''}`, { size: 14, anchor: 'middle', fill: COLORS.muted }));
  body.push(text({ x: 24, y: TOP - 22 }, 'time (s)', { size: 14, weight: 'bold' }), text({ x: 150, y: TOP - 22 }, 'frame', { size: 14, weight: 'bold' }));
  body.push(text({ x: LEFT, y: TOP - 22 }, input.left, { size: 16, weight: 'bold', anchor: 'middle' }), text({ x: RIGHT, y: TOP - 22 }, input.right, { size: 16, weight: 'bold', anchor: 'middle' }));
  body.push(`<line class="host" x1="${LEFT}" y1="${TOP - 10}" x2="${LEFT}" y2="${BOTTOM}" stroke="${COLORS.ink}" stroke-width="3"/>`, `<line class="host" x1="${RIGHT}" y1="${TOP - 10}" x2="${RIGHT}" y2="${BOTTOM}" stroke="${COLORS.ink}" stroke-width="3"/>`);
  let y = TOP + step / 2;
  shown.forEach((row, i) => {
    if ('elided' in row) {
      body.push(`<g class="elided"><line x1="${LEFT}" y1="${n(y)}" x2="${RIGHT}" y2="${n(y)}" stroke="${COLORS.muted}" stroke-dasharray="2 6"/>${text({ x: (LEFT + RIGHT) / 2, y: y + 5 }, `… ${row.elided} frames elided (#${row.from} to #${row.to}) …`, { size: 14, anchor: 'middle', fill: COLORS.muted })}</g>`);
      y += step;
      return;
    }
    if (gaps[i] >= 1) {
      body.push(`<g class="gap" data-seconds="${gaps[i].toFixed(3)}"><path d="M ${LEFT - 12} ${n(y - 6)} l 8 6 l -8 6 M ${RIGHT - 12} ${n(y - 6)} l 8 6 l -8 6" stroke="${COLORS.muted}" fill="none" stroke-width="2"/>${text({ x: (LEFT + RIGHT) / 2, y: y + 5 }, `gap: ${gaps[i].toFixed(2)} s with no frames`, { size: 14, anchor: 'middle', fill: COLORS.muted })}</g>`);
      y += step;
    }
    const fromLeft = input.fromLeft(row);
    const x1 = fromLeft ? LEFT : RIGHT;
    const x2 = fromLeft ? RIGHT : LEFT;
    const retrans = (row.analysis & RETRANSMITTED) !== 0;
    const dup = (row.analysis & TA_DUPLICATE_ACK) !== 0;
    const evidence = input.evidence.has(row.frame);
    const color = retrans ? COLORS.retransmission : dup ? COLORS.dupAck : COLORS.ink;
    const cls = ['arrow', retrans ? 'retransmission' : '', dup ? 'dup-ack' : '', evidence ? 'evidence' : ''].filter(Boolean).join(' ');
    const head = fromLeft ? `${x2},${n(y)} ${x2 - 12},${n(y - 6)} ${x2 - 12},${n(y + 6)}` : `${x2},${n(y)} ${x2 + 12},${n(y - 6)} ${x2 + 12},${n(y + 6)}`;
    body.push(
      `<g class="${cls}" data-frame="${row.frame}" data-dir="${fromLeft ? 'right' : 'left'}">` +
        (evidence ? `<rect x="${LEFT + 4}" y="${n(y - step / 2 + 1)}" width="${RIGHT - LEFT - 8}" height="${n(step - 2)}" fill="${COLORS.evidence}" opacity="0.55"/>` : '') +
        text({ x: 24, y: y + 5 }, row.t.toFixed(3), { size: 13 }) +
        text({ x: 150, y: y + 5 }, `#${row.frame}`, { size: 13, weight: evidence ? 'bold' : undefined }) +
        `<line x1="${x1}" y1="${n(y)}" x2="${x2}" y2="${n(y)}" stroke="${color}" stroke-width="2"${retrans ? ' stroke-dasharray="8 5"' : ''}/><polygon points="${head}" fill="${color}"/>` +
        text({ x: (LEFT + RIGHT) / 2, y: y - 4 }, arrowLabel(row, base, peerBase), { size: step < 20 ? 11 : 13, anchor: 'middle', fill: color }) +
        '</g>',
    );
    y += step;
  });
  body.push(legend({ x: 40, y: HEIGHT - 24 }, [
    { color: COLORS.ink, label: 'frame' },
    { color: COLORS.retransmission, label: 'retransmission', dashed: true },
    { color: COLORS.dupAck, label: 'duplicate ACK' },
    { color: COLORS.evidence, label: 'evidence frame of the finding' },
  ]));
  return document(input.title, body);
}

type Row = WirePacket | { elided: number; from: number; to: number };

/**
 * The frames a long exchange keeps: the start, the end, and a few around each evidence frame,
 * with one "elided" row for each run left out; at most MAX_ARROWS frames.
 */
function keepAround(all: WirePacket[], evidence: Set<number>): Row[] {
  if (all.length <= MAX_ARROWS) return all;
  const keep = new Set<number>();
  const evidenceAt = all.map((p, i) => (evidence.has(p.frame) ? i : -1)).filter((i) => i >= 0);
  const around = Math.max(1, Math.floor((MAX_ARROWS - 16) / Math.max(1, evidenceAt.length) / 2));
  for (const i of evidenceAt) for (let j = i - around; j <= i + around; j++) if (j >= 0 && j < all.length && keep.size < MAX_ARROWS - 8) keep.add(j);
  // The rest shared between the start (the handshake) and the end (how it closed).
  let fromStart = Math.ceil((MAX_ARROWS - keep.size) / 2);
  for (let j = 0; fromStart > 0 && j < all.length; j++) {
    if (!keep.has(j)) {
      keep.add(j);
      fromStart--;
    }
  }
  for (let j = all.length - 1; keep.size < MAX_ARROWS && j >= 0; j--) keep.add(j);
  const rows: Row[] = [];
  let last = -1;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (i > last + 1) rows.push({ elided: i - last - 1, from: all[last + 1].frame, to: all[i - 1].frame });
    rows.push(all[i]);
    last = i;
  }
  if (last < all.length - 1) rows.push({ elided: all.length - 1 - last, from: all[last + 1].frame, to: all.at(-1)!.frame });
  return rows;
}
