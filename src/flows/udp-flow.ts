import type { Endpoint } from './endpoints.js';

/** A UDP conversation: both directions of one address/port pair. */
export class UdpFlow {
  origPackets = 0;
  respPackets = 0;
  origBytes = 0;
  respBytes = 0;
  firstFrame = 0;
  lastFrame = 0;
  startNs = 0;
  endNs = 0;
  protocol = 'udp';

  constructor(
    readonly id: number,
    readonly origin: Endpoint,
    readonly responder: Endpoint,
  ) {}

  add(fromOrig: boolean, payloadLength: number, frame: number, timeNs: number, protocol: string): void {
    if (this.firstFrame === 0) {
      this.firstFrame = frame;
      this.startNs = timeNs;
      this.protocol = protocol;
    }
    this.lastFrame = frame;
    this.endNs = timeNs;
    if (fromOrig) {
      this.origPackets++;
      this.origBytes += payloadLength;
    } else {
      this.respPackets++;
      this.respBytes += payloadLength;
    }
  }
}
