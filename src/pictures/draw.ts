import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../analysis/analysis-types.js';
import type { Finding } from '../findings/finding.js';
import { TCP_ACK, TCP_SYN } from '../decode/packet.js';
import { collectPackets, RETRANSMITTED, type WirePacket } from './collect.js';
import { ladderSvg } from './ladder.js';
import { HEIGHT, WIDTH } from './svg.js';
import { tseqSvg } from './tseq.js';

export interface Picture {
  kind: 'ladder' | 'tseq';
  code: string;
  /** ladder-<code> or tseq-<code>. */
  name: string;
  svg: string;
  png: Buffer;
  width: number;
  height: number;
  /** What the picture shows, in words (Slack alt text). */
  alt: string;
}

/** Findings about a transfer, drawn also as a time-sequence graph. */
const TRANSFER = new Set(['tcp.retransmission_rate', 'tcp.zero_window', 'tcp.window_limited', 'tcp.rto_stall', 'tcp.pmtud_blackhole']);

/** The committed fonts (assets/fonts), so the output does not depend on the machine's fonts. */
function fontFiles(): string[] {
  for (const relative of ['../../assets/fonts/', '../../../assets/fonts/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(dir)) return [`${dir}DejaVuSans.ttf`, `${dir}DejaVuSans-Bold.ttf`];
  }
  throw new Error('the assets/fonts folder of the netcase package is missing');
}

/** PNG of an SVG. resvg (a native module) loads on first use, so `analyze` without pictures never pays for it. */
export async function renderPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, { font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'original' } }).render().asPng();
}

function endpoint(text: string): { ip: string; port: number } | null {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  return m === null ? null : { ip: m[1], port: Number(m[2]) };
}

const keyOf = (ip: string, port: number) => `${ip}:${port}`;
const isName = (f: Finding) => f.code.startsWith('dns.') || f.code.startsWith('name.');

/**
 * The pictures for a capture's top finding (the first drawable of the three most severe): a ladder
 * diagram of the connection behind it (or, for name resolution, the lookup chain and the
 * connection it delayed), and for transfer findings a time-sequence graph. Reads the capture a
 * second time, bounded to the frames it needs.
 */
export async function drawPictures(path: string, analysis: Analysis, options: { maxDecompressedBytes?: number } = {}): Promise<Picture[]> {
  for (const f of analysis.findings.slice(0, 3)) {
    const pictures = await drawFinding(path, f, analysis, options);
    if (pictures.length > 0) return pictures;
  }
  return [];
}

async function drawFinding(path: string, f: Finding, analysis: Analysis, options: { maxDecompressedBytes?: number }): Promise<Picture[]> {
  const evidence = new Set(f.frames);
  const first = Math.min(...f.frames);
  const last = Math.max(...f.frames);
  if (f.flow !== null && 'proto' in f.flow && f.flow.proto === 'tcp') {
    const a = endpoint(f.flow.orig);
    const b = endpoint(f.flow.resp);
    if (a === null || b === null) return [];
    const ka = keyOf(a.ip, a.port);
    const kb = keyOf(b.ip, b.port);
    // The flow's last frame, when the analysis listed it, ends the second pass early.
    const flow = f.flow;
    const untilFrame = analysis.flows.find((x) => x.orig === flow.orig && x.resp === flow.resp)?.lastFrame;
    const packets = await collectPackets(path, (p) => p.proto === 'tcp' && ((keyOf(p.src, p.sport) === ka && keyOf(p.dst, p.dport) === kb) || (keyOf(p.src, p.sport) === kb && keyOf(p.dst, p.dport) === ka)), { ...options, untilFrame });
    if (packets.length === 0) return [];
    const out = [await picture('ladder', f, ladderSvg({ title: `${f.code}: ${f.flow.orig} ⇄ ${f.flow.resp}`, left: f.flow.orig, right: f.flow.resp, packets, evidence, fromLeft: (p) => keyOf(p.src, p.sport) === ka }), ladderAlt(f, f.flow.orig, f.flow.resp, packets))];
    if (TRANSFER.has(f.code)) {
      const bytes = (k: string) => packets.filter((p) => keyOf(p.src, p.sport) === k).reduce((s, p) => s + p.len, 0);
      const sender = bytes(ka) >= bytes(kb) ? f.flow.orig : f.flow.resp;
      const senderKey = bytes(ka) >= bytes(kb) ? ka : kb;
      out.push(await picture('tseq', f, tseqSvg({ title: `${f.code}: data from ${sender}`, sender: senderKey, packets, evidence }), tseqAlt(f, sender, senderKey, packets)));
    }
    return out;
  }
  if (isName(f) && f.frames.length > 0 && f.flow !== null && 'client' in f.flow) {
    const client = f.flow.client;
    const window = (p: WirePacket) => p.frame >= first - 200 && p.frame <= last + 200;
    const packets = await collectPackets(path, (p) => window(p) && ((p.label !== '' && (p.src === client || p.dst === client)) || (p.proto === 'tcp' && (p.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && p.src === client && p.frame > first)), { ...options, limit: 400, untilFrame: last + 200 });
    // The lookup chain, then the connection it delayed (the first SYN after it).
    const firstSyn = packets.findIndex((p) => p.proto === 'tcp');
    const chain = packets.filter((p, i) => p.proto !== 'tcp' || i === firstSyn);
    if (chain.length === 0) return [];
    return [await picture('ladder', f, ladderSvg({ title: `${f.code}: name resolution by ${client}`, left: client, right: 'name servers and peers', packets: chain, evidence, fromLeft: (p) => p.src === client }), ladderAlt(f, client, 'its name servers', chain))];
  }
  if (f.frames.length > 0 && f.flow !== null && ('server' in f.flow || 'client' in f.flow)) {
    // A server's or a client's story between the first and last evidence frames: everything it
    // sent or received (a request, the reverse lookups it made, NBNS probes, the late answer).
    const endpointText = 'server' in f.flow ? f.flow.server : f.flow.client;
    const host = endpoint(endpointText)?.ip ?? endpointText;
    const packets = await collectPackets(path, (p) => p.frame >= first && p.frame <= last && (p.src === host || p.dst === host), { ...options, limit: 400, untilFrame: last });
    if (packets.length === 0) return [];
    return [await picture('ladder', f, ladderSvg({ title: `${f.code}: ${endpointText}, frames #${first} to #${last}`, left: host, right: 'peers', packets, evidence, fromLeft: (p) => p.src === host }), ladderAlt(f, host, 'its peers', packets))];
  }
  if (f.frames.length > 0) {
    const wanted = new Set(f.frames);
    const packets = await collectPackets(path, (p) => wanted.has(p.frame), { ...options, untilFrame: last });
    if (packets.length === 0) return [];
    const left = packets[0].src;
    return [await picture('ladder', f, ladderSvg({ title: `${f.code}: evidence frames`, left, right: packets[0].dst, packets, evidence, fromLeft: (p) => p.src === left }), ladderAlt(f, left, packets[0].dst, packets))];
  }
  return [];
}

async function picture(kind: Picture['kind'], f: Finding, svg: string, alt: string): Promise<Picture> {
  return { kind, code: f.code, name: `${kind}-${f.code}`, svg, png: await renderPng(svg), width: WIDTH, height: HEIGHT, alt };
}

function ladderAlt(f: Finding, left: string, right: string, packets: WirePacket[]): string {
  const retrans = packets.filter((p) => p.analysis & RETRANSMITTED).length;
  const span = packets.length > 1 ? (packets.at(-1)!.t - packets[0].t).toFixed(2) : '0';
  return `Ladder diagram for ${f.code} (${f.title}): ${packets.length} frames between ${left} and ${right}, #${packets[0].frame} to #${packets.at(-1)!.frame} over ${span} s${retrans ? `, ${retrans} retransmission(s) in red` : ''}; evidence frames ${f.frames.slice(0, 10).join(', ')} highlighted.`;
}

function tseqAlt(f: Finding, sender: string, senderKey: string, packets: WirePacket[]): string {
  const data = packets.filter((p) => `${p.src}:${p.sport}` === senderKey && p.len > 0);
  const retrans = data.filter((p) => p.analysis & RETRANSMITTED).length;
  const bytes = data.reduce((s, p) => s + p.len, 0);
  return `Time-sequence graph for ${f.code}: ${data.length} data segments (${bytes} bytes) sent by ${sender}, ${retrans} retransmitted (red), with the receiver's ACK and receive-window lines.`;
}
