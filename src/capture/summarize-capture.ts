import { linkTypeName } from './link-types.js';
import { formatTimestamp } from './timestamps.js';
import type { Capture, CaptureFormat, CaptureWarning, Compression } from './types.js';

/**
 * What `netcase info` reports about a capture, and `analyze --json`'s `capture` object.
 * Times are RFC 3339 UTC with nanoseconds; first and last are the earliest and latest frame times
 * (as capinfos computes them), so a capture with out-of-order frames still gets a true span.
 */
export interface CaptureInfo {
  file: string;
  format: CaptureFormat;
  compression: Compression;
  linkTypes: { id: number; name: string }[];
  interfaces: { id: number; linkType: number; snaplen: number; tsResolution: string; drops: number | null; name?: string }[];
  packets: number;
  /** Sum of the frames' original (on-the-wire) lengths: capinfos's "data size". */
  bytes: number;
  /** Sum of the captured lengths (what the file holds; less than `bytes` when a snaplen cut frames). */
  capturedBytes: number;
  firstTime: string | null;
  lastTime: string | null;
  durationMs: number | null;
  /** Largest snapshot length any interface declares (0: none declared). */
  snaplen: number;
  warnings: CaptureWarning[];
}

/** Reads the whole capture once and summarizes it. */
export async function summarizeCapture(capture: Capture): Promise<CaptureInfo> {
  let packets = 0;
  let bytes = 0;
  let capturedBytes = 0;
  let minSec = Infinity;
  let minNsec = 0;
  let maxSec = -Infinity;
  let maxNsec = 0;
  const seenLinkTypes = new Set<number>();
  for await (const batch of capture.frames()) {
    const { count, capturedLength, originalLength, tsSec, tsNsec, linkType } = batch;
    packets += count;
    let lastLink = -1;
    for (let i = 0; i < count; i++) {
      bytes += originalLength[i];
      capturedBytes += capturedLength[i];
      const s = tsSec[i];
      const ns = tsNsec[i];
      if (s < minSec || (s === minSec && ns < minNsec)) {
        minSec = s;
        minNsec = ns;
      }
      if (s > maxSec || (s === maxSec && ns > maxNsec)) {
        maxSec = s;
        maxNsec = ns;
      }
      if (linkType[i] !== lastLink) {
        lastLink = linkType[i];
        seenLinkTypes.add(lastLink);
      }
    }
  }
  const { meta } = capture;
  const linkIds = [...new Set([...meta.interfaces.map((i) => i.linkType), ...seenLinkTypes])];
  const hasTime = Number.isFinite(minSec);
  return {
    file: meta.name,
    format: meta.format,
    compression: meta.compression,
    linkTypes: linkIds.map((id) => ({ id, name: linkTypeName(id) })),
    interfaces: meta.interfaces.map((i) => ({
      id: i.id,
      linkType: i.linkType,
      snaplen: i.snaplen,
      tsResolution: describeResolution(i.tsResolution),
      drops: i.drops,
      ...(i.name === undefined ? {} : { name: i.name }),
    })),
    packets,
    bytes,
    capturedBytes,
    firstTime: hasTime ? formatTimestamp(minSec, minNsec) : null,
    lastTime: hasTime ? formatTimestamp(maxSec, maxNsec) : null,
    durationMs: hasTime ? ((maxSec - minSec) * 1e9 + (maxNsec - minNsec)) / 1e6 : null,
    snaplen: meta.interfaces.reduce((m, i) => Math.max(m, i.snaplen), 0),
    warnings: meta.warnings,
  };
}

function describeResolution(unitsPerSecond: number): string {
  const names: Record<number, string> = { 1: 's', 1e3: 'ms', 1e6: 'us', 1e7: '100ns', 1e9: 'ns', 1e12: 'ps' };
  return names[unitsPerSecond] ?? `1/${unitsPerSecond}s`;
}
