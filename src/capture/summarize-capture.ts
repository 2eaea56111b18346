import { linkTypeName } from './link-types.js';
import { formatTimestamp } from './timestamps.js';
import type { Capture, CaptureFormat, CaptureMeta, CaptureWarning, Compression, FrameBatch } from './types.js';

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
  const summary = new CaptureSummary();
  for await (const batch of capture.frames()) summary.add(batch);
  return summary.result(capture.meta);
}

/** Accumulates the info figures batch by batch, so other passes (analyze) can share the read. */
export class CaptureSummary {
  packets = 0;
  private bytes = 0;
  private capturedBytes = 0;
  private minSec = Infinity;
  private minNsec = 0;
  private maxSec = -Infinity;
  private maxNsec = 0;
  private readonly seenLinkTypes = new Set<number>();

  add(batch: FrameBatch): void {
    const { count, capturedLength, originalLength, tsSec, tsNsec, linkType } = batch;
    this.packets += count;
    let lastLink = -1;
    for (let i = 0; i < count; i++) {
      this.bytes += originalLength[i];
      this.capturedBytes += capturedLength[i];
      const s = tsSec[i];
      const ns = tsNsec[i];
      if (s < this.minSec || (s === this.minSec && ns < this.minNsec)) {
        this.minSec = s;
        this.minNsec = ns;
      }
      if (s > this.maxSec || (s === this.maxSec && ns > this.maxNsec)) {
        this.maxSec = s;
        this.maxNsec = ns;
      }
      if (linkType[i] !== lastLink) {
        lastLink = linkType[i];
        this.seenLinkTypes.add(lastLink);
      }
    }
  }

  result(meta: CaptureMeta): CaptureInfo {
    const linkIds = [...new Set([...meta.interfaces.map((i) => i.linkType), ...this.seenLinkTypes])];
    const hasTime = Number.isFinite(this.minSec);
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
      packets: this.packets,
      bytes: this.bytes,
      capturedBytes: this.capturedBytes,
      firstTime: hasTime ? formatTimestamp(this.minSec, this.minNsec) : null,
      lastTime: hasTime ? formatTimestamp(this.maxSec, this.maxNsec) : null,
      durationMs: hasTime ? ((this.maxSec - this.minSec) * 1e9 + (this.maxNsec - this.minNsec)) / 1e6 : null,
      snaplen: meta.interfaces.reduce((m, i) => Math.max(m, i.snaplen), 0),
      warnings: meta.warnings,
    };
  }
}

function describeResolution(unitsPerSecond: number): string {
  const names: Record<number, string> = { 1: 's', 1e3: 'ms', 1e6: 'us', 1e7: '100ns', 1e9: 'ns', 1e12: 'ps' };
  return names[unitsPerSecond] ?? `1/${unitsPerSecond}s`;
}
