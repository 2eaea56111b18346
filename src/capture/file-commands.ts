import type { EtlKind } from './detect-format.js';

/**
 * Commands a person runs on their own machine to turn what they have into a capture netcase can
 * read, filled in with the file's own name: the ETL conversion that fits the trace, and editcap
 * to cut a capture into smaller files. Only the command lines: the sentences around them are the
 * caller's (report/words.ts for Slack, the reader's error for the CLI).
 */

/** One conversion: which tool's traces it is for, and the command. */
export interface EtlConversion {
  kind: Exclude<EtlKind, 'unknown'>;
  command: string;
}

/**
 * The conversion for an ETL trace of `kind`; both, pktmon's first, when the kind is unknown.
 * pktmon etl2pcap (Windows 10 2004 and later) reads pktmon's own traces; Microsoft's etl2pcapng
 * (github.com/microsoft/etl2pcapng) reads `netsh trace` (ndiscap) files.
 */
export function etlConversions(kind: EtlKind, fileName: string): EtlConversion[] {
  const input = baseName(fileName).replace(/\.(gz|zip)$/i, '');
  const output = `${input.replace(/\.etl$/i, '')}.pcapng`;
  const pktmon: EtlConversion = { kind: 'pktmon', command: `pktmon etl2pcap ${quote(input)} --out ${quote(output)}` };
  const netsh: EtlConversion = { kind: 'netsh', command: `etl2pcapng.exe ${quote(input)} ${quote(output)}` };
  return kind === 'pktmon' ? [pktmon] : kind === 'netsh' ? [netsh] : [pktmon, netsh];
}

/**
 * Frames per part when a capture is cut for the analysis' time or memory limit: a million frames
 * are read in about a second and their flows fit the default heap many times over (README, "The
 * hot path"), so a part this size never meets either limit on its own.
 */
export const FRAMES_PER_PART_FOR_ANALYSIS = 1_000_000;

/**
 * Bytes a frame takes in a capture file at most, for parts under a size limit: a full 1,514-byte
 * Ethernet frame plus its record header (16 bytes in pcap, 32 and more in pcapng), rounded up.
 */
const BYTES_PER_FRAME = 1600;

/** Frames per part so that each part stays under `maxBytes`: two significant digits, rounded down. */
export function framesPerPartUnder(maxBytes: number): number {
  const frames = Math.max(1, Math.floor(maxBytes / BYTES_PER_FRAME));
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(frames)) - 1);
  return Math.floor(frames / unit) * unit;
}

/** Wireshark's editcap, cutting `fileName` into files of `frames` frames each (part_00000_....pcapng and on). */
export function splitCommand(fileName: string, frames: number): string {
  return `editcap -c ${frames} ${quote(baseName(fileName))} part.pcapng`;
}

function baseName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1) || name;
}

/**
 * A file name as one argument in both cmd.exe and a POSIX shell: bare when it is plain, else in
 * double quotes, without the characters either shell would still expand inside them.
 */
function quote(name: string): string {
  return /^[\w.+@-]+$/.test(name) ? name : `"${name.replace(/["`$\\%!^]/g, '_')}"`;
}
