/**
 * The capture stage's vocabulary: bytes -> frames.
 *
 * Frames travel in batches laid out column by column (struct of arrays), because a per-frame
 * object or async step costs more than reading the frame itself. Frame `i` of a batch occupies
 * `data[offset[i] .. offset[i] + capturedLength[i])`; `data` is a view into the read buffer, never a
 * copy. Readers recycle their buffers, so a batch's bytes are valid only until the batch after the
 * next one is requested: code that keeps bytes for later (stream reassembly) copies what it keeps.
 */

export type CaptureFormat = 'pcap' | 'pcapng' | 'netmon2';
export type Compression = 'gzip' | 'zip' | null;

export interface FrameBatch {
  /** The bytes behind every frame of the batch. */
  readonly data: Uint8Array;
  /** Number of frames in the batch. */
  readonly count: number;
  /** 1-based number of the batch's first frame, as Wireshark numbers frames. */
  readonly firstNumber: number;
  readonly offset: Uint32Array;
  readonly capturedLength: Uint32Array;
  readonly originalLength: Uint32Array;
  /** Whole seconds since the Unix epoch (may be negative for odd files; NaN: the record has no time). */
  readonly tsSec: Float64Array;
  /** Nanoseconds within the second, 0..999_999_999. */
  readonly tsNsec: Uint32Array;
  /** LINKTYPE_ value of each frame (pcapng interfaces and Network Monitor frames differ). */
  readonly linkType: Uint16Array;
  /** Interface id of each frame (pcapng: index within its section's IDBs, offset by earlier sections). */
  readonly iface: Uint32Array;
}

/** One frame as an object: convenient off the hot path (tests, `decode` of a single frame). */
export interface Frame {
  number: number;
  tsSec: number;
  tsNsec: number;
  linkType: number;
  iface: number;
  capturedLength: number;
  originalLength: number;
  bytes: Uint8Array;
}

export interface CaptureInterface {
  id: number;
  linkType: number;
  snaplen: number;
  /** Units per second of the interface's timestamps (1e6 for microseconds, 1e9 for nanoseconds). */
  tsResolution: number;
  name?: string;
  /** Packets dropped by the interface or OS, from pcapng statistics blocks; null when unknown. */
  drops: number | null;
}

/** Warning codes use the finding vocabulary (`capture.*`). */
export type CaptureWarningCode =
  | 'capture.truncated_file'
  | 'capture.corrupt_record'
  | 'capture.corrupt_compression'
  /** Bytes after the end of the gzip data that are not gzip: ignored, as `gzip -d` does. */
  | 'capture.trailing_data'
  /** Archive entries not read (a name pointing outside the archive, encryption, an unknown method). */
  | 'capture.skipped_member'
  /** The analysis reached its time limit: frames after the one named were not analysed. */
  | 'capture.time_limit';

export interface CaptureWarning {
  code: CaptureWarningCode;
  message: string;
  /** Number of the frame that could not be read (1-based), or null. */
  frame: number | null;
  /** Byte offset in the (decompressed) capture where the problem starts, or null. */
  offset: number | null;
}

/** Why a source cannot be read as a capture at all. */
export type CaptureErrorCode =
  | 'capture.not_a_capture'
  | 'capture.etl_trace'
  | 'capture.web_page'
  | 'capture.unsupported'
  | 'capture.empty_file'
  | 'capture.decompression_limit'
  /** More archive entries or deeper nesting than one upload may have. */
  | 'capture.archive_limit'
  /** Zip entries sharing compressed bytes (a zip bomb's construction). */
  | 'capture.archive_overlap'
  | 'capture.empty_archive'
  | 'capture.corrupt_compression'
  | 'capture.io_error';

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** What a reader knows about the capture; interfaces and warnings grow while it reads. */
export interface CaptureMeta {
  /** Display name: the file, or `archive.zip/member.pcap` for a zip member. */
  name: string;
  format: CaptureFormat;
  compression: Compression;
  interfaces: CaptureInterface[];
  warnings: CaptureWarning[];
  /** True when reading stopped early because a record could not be true (`capture.corrupt_record`). */
  stoppedEarly: boolean;
}

/** One readable capture. `frames()` may be iterated once. */
export interface Capture {
  readonly meta: CaptureMeta;
  frames(): AsyncIterable<FrameBatch>;
}
