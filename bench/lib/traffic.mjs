// Synthetic traffic model: a pool of concurrent conversations (HTTP, HTTPS, uploads, refused
// connections, DNS lookups) seen from a capture point on the clients' LAN. Each conversation is a
// generator yielding frame encoders `(buf, nowMicros) => frameLength`; the model interleaves them
// on one monotonic clock. All randomness comes from the seeded PRNG, so output is reproducible.
import { createRng } from './prng.mjs';
import { encodeTcpFrame, encodeUdpFrame, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from './packets.mjs';
import {
  bytesMessage, concatMessages, createPattern, dnsQuery, dnsResponse, DNS_TYPE, httpRequest, httpResponse,
  reverseName, tlsApplicationData, tlsChangeCipherSpec, tlsClientHello, tlsServerHello,
} from './payloads.mjs';

const CAPTURE_START_US = Date.UTC(2024, 2, 12, 9, 30, 0) * 1000;
const MEAN_FRAME_GAP_US = 20; // ~50k frames/s, ~400 Mbit/s
const CONCURRENT_CONVERSATIONS = 160;
const RAMP_UP_PROBABILITY = 0.02; // per frame, until the pool is full: conversations start gradually
const CONVERSATION_WEIGHTS = { http: 20, https: 34, upload: 2, refused: 2, dns: 42 };
const IPV6_SHARE = 0.12;
const VLAN_CLIENT_SHARE = 0.03;
const VLAN_ID = 120;
const RETRANSMIT_PROBABILITY = 0.0015;
const QUICK_ACK_PROBABILITY = 0.35; // receiver ACKs every segment instead of every second one
const CLIENT = 0;
const SERVER = 1;

const CLIENT_IPV6_PREFIX = [0x20, 0x01, 0x0d, 0xb8, 0x00, 0x20]; // 2001:db8:20::/48, the clients' LAN
const SERVER_IPV6_PREFIX = [0x20, 0x01, 0x0d, 0xb8, 0x00, 0xff]; // 2001:db8:ff::/48, "the internet"
const GATEWAY_MAC = Buffer.from([0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01]);
const RESOLVER_MAC = Buffer.from([0x52, 0x54, 0x00, 0x12, 0x00, 0x35]);
const SERVER_LABELS = ['www', 'api', 'cdn', 'static', 'img', 'auth', 'login', 'updates', 'telemetry', 'files',
  'git', 'registry', 'assets', 'video', 'mail', 'sso', 'docs', 'status', 'search', 'media'];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'shop.example', 'corp.example'];
const USER_AGENTS = ['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36',
  'python-requests/2.31.0', 'Go-http-client/1.1'];
const URL_PATHS = ['/', '/index.html', '/api/v2/items', '/api/v2/session', '/static/app.js', '/static/app.css',
  '/images/banner.webp', '/downloads/release.tar.gz', '/v1/metrics', '/healthz', '/assets/fonts/inter.woff2'];

export function createTrafficModel(seed) {
  return new TrafficModel(createRng(seed));
}

class TrafficModel {
  constructor(rng) {
    this.rng = rng;
    this.nowUs = CAPTURE_START_US;
    this.pattern = createPattern(rng.fork());
    this.clients = makeClients(rng.fork(), 240);
    this.servers = makeServers(rng.fork());
    this.resolver = makeHost(rng, { mac: RESOLVER_MAC, ip4: [10, 20, 0, 53], ip6: ipv6(CLIENT_IPV6_PREFIX, 0x53) });
    this.conversations = [];
  }

  /** Encodes the next frame into `buf`; returns { tsMicros, length }. */
  nextFrame(buf) {
    const encode = this.nextEncoder();
    this.nowUs += 1 + this.rng.int(2 * MEAN_FRAME_GAP_US - 1);
    return { tsMicros: this.nowUs, length: encode(buf, this.nowUs) };
  }

  nextEncoder() {
    for (;;) {
      const poolFull = this.conversations.length >= CONCURRENT_CONVERSATIONS;
      if (!poolFull && (this.conversations.length === 0 || this.rng.chance(RAMP_UP_PROBABILITY))) {
        this.conversations.push(this.startConversation());
      }
      const slot = this.rng.int(this.conversations.length);
      const step = this.conversations[slot].next();
      if (!step.done) return step.value;
      this.conversations[slot] = this.startConversation();
    }
  }

  startConversation() {
    const kind = this.rng.weighted(CONVERSATION_WEIGHTS);
    if (kind === 'dns') return dnsLookup(this);
    const conn = this.newTcpConnection(kind);
    if (kind === 'refused') return refusedConnection(conn);
    if (kind === 'https') return httpsConversation(this, conn);
    if (kind === 'upload') return uploadConversation(this, conn);
    return httpConversation(this, conn);
  }

  newTcpConnection(kind) {
    const { rng } = this;
    const ports = { https: 443, refused: rng.pick([8443, 8080, 25, 3389]), upload: 80 };
    const serverPort = ports[kind] ?? (rng.chance(0.15) ? 8080 : 80);
    return new TcpConnection(rng, {
      client: rng.pick(this.clients),
      server: rng.pick(this.servers),
      ipVersion: rng.chance(IPV6_SHARE) ? 6 : 4,
      serverPort,
    });
  }

  date() {
    return new Date(Math.floor(this.nowUs / 1000));
  }

  patternStart() {
    return this.rng.int(this.pattern.length);
  }
}

// ------------------------------------------------------------------------------------------ hosts

function makeHost(rng, { mac, ip4, ip6, name = null, ttl = 64, vlanId = 0 }) {
  return { mac, ip4: Buffer.from(ip4), ip6, name, ttl, vlanId, ipId: rng.int(65536), tsBase: rng.uint32() };
}

function ipv6(prefix, hostPart) {
  const ip = Buffer.alloc(16);
  Buffer.from(prefix).copy(ip);
  ip.writeUInt32BE(hostPart >>> 0, 12);
  return ip;
}

function makeClients(rng, count) {
  const clients = [];
  for (let i = 0; i < count; i++) {
    const ip4 = [10, 20, 1 + Math.floor(i / 200), 10 + (i % 200)];
    const mac = Buffer.from([0x3c, 0x52, 0x82, ip4[1], ip4[2], ip4[3]]);
    const ip6 = ipv6(CLIENT_IPV6_PREFIX, 0x1000 + i);
    const vlanId = rng.chance(VLAN_CLIENT_SHARE) ? VLAN_ID : 0;
    clients.push(makeHost(rng, { mac, ip4, ip6, vlanId }));
  }
  return clients;
}

function makeServers(rng) {
  const servers = [];
  for (const domain of DOMAINS) {
    for (const label of SERVER_LABELS) {
      if (!rng.chance(0.6)) continue;
      const ip4 = rng.chance(0.5) ? [198, 51, 100, 1 + rng.int(254)] : [203, 0, 113, 1 + rng.int(254)];
      const ip6 = ipv6(SERVER_IPV6_PREFIX, rng.uint32());
      servers.push(makeHost(rng, { mac: GATEWAY_MAC, ip4, ip6, name: `${label}.${domain}`, ttl: 50 + rng.int(9) }));
    }
  }
  return servers;
}

/** One direction of traffic between two hosts, as the frame encoder wants it. */
function makePath({ from, to, srcMac, dstMac, ipVersion, vlanId, flowLabel }) {
  return {
    srcMac, dstMac, vlanId, ipVersion, flowLabel,
    srcIp: ipVersion === 4 ? from.ip4 : from.ip6,
    dstIp: ipVersion === 4 ? to.ip4 : to.ip6,
    ttl: from.ttl,
    nextIpId: () => (from.ipId = (from.ipId + 1) & 0xffff),
  };
}

// -------------------------------------------------------------------------------------------- TCP

/**
 * Both ends of one TCP connection. Sequence numbers are tracked relative to each side's ISN;
 * `segment()` returns a frame encoder and advances the sender's sequence space immediately, so
 * the yielded frames form a consistent conversation in yield order.
 */
class TcpConnection {
  constructor(rng, { client, server, ipVersion, serverPort }) {
    this.rng = rng;
    this.server = server;
    const vlanId = client.vlanId;
    const flowLabel = ipVersion === 6 ? rng.int(1 << 20) : 0;
    const mss = ipVersion === 4 ? 1460 : 1440;
    this.sides = [
      {
        host: client, port: rng.range(32768, 60999), isn: rng.uint32(), next: 0, synWindow: 64240, window: 502,
        windowScale: 7, mss, lastTsval: 0,
        path: makePath({ from: client, to: server, srcMac: client.mac, dstMac: GATEWAY_MAC, ipVersion, vlanId, flowLabel }),
      },
      {
        host: server, port: serverPort, isn: rng.uint32(), next: 0, synWindow: 65160, window: 501,
        windowScale: rng.pick([7, 9]), mss, lastTsval: 0,
        path: makePath({ from: server, to: client, srcMac: GATEWAY_MAC, dstMac: client.mac, ipVersion, vlanId, flowLabel }),
      },
    ];
    this.payloadPerSegment = mss - 12; // timestamps option on every segment
  }

  /** A segment from `side`; consumes sequence space for payload, SYN and FIN. */
  segment(side, flags, payload = null, { options = 'timestamps', seq } = {}) {
    const me = this.sides[side];
    const peer = this.sides[1 - side];
    const relativeSeq = seq ?? me.next;
    if (seq === undefined) me.next += (payload ? payload.length : 0) + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
    const ackNumber = flags & TCP_ACK ? peer.isn + peer.next : 0;
    const tcp = {
      srcPort: me.port, dstPort: peer.port, seq: me.isn + relativeSeq, ack: ackNumber, flags,
      window: flags & TCP_SYN ? me.synWindow : me.window, options, mss: me.mss, windowScale: me.windowScale,
      tsval: 0, tsecr: 0,
    };
    return (buf, nowUs) => {
      if (options !== 'none') {
        tcp.tsval = (me.host.tsBase + Math.floor((nowUs - CAPTURE_START_US) / 1000)) >>> 0;
        tcp.tsecr = flags & TCP_ACK ? peer.lastTsval : 0;
        me.lastTsval = tcp.tsval;
      }
      return encodeTcpFrame(buf, me.path, tcp, payload);
    };
  }

  *handshake() {
    yield this.segment(CLIENT, TCP_SYN, null, { options: 'syn' });
    yield this.segment(SERVER, TCP_SYN | TCP_ACK, null, { options: 'syn' });
    yield this.segment(CLIENT, TCP_ACK);
  }

  /**
   * Sends `message` from `side` in MSS-sized segments; the receiver ACKs every one or two segments.
   * With `ackLast` false the final ACK is left to the receiver's next data segment (a reply).
   */
  *send(side, message, { ackLast = true } = {}) {
    const ackEvery = this.rng.chance(QUICK_ACK_PROBABILITY) ? 1 : 2;
    let unacked = 0;
    for (let offset = 0; offset < message.length;) {
      const length = Math.min(this.payloadPerSegment, message.length - offset);
      const isLast = offset + length === message.length;
      const payload = { message, offset, length };
      const seq = this.sides[side].next;
      yield this.segment(side, TCP_ACK | (isLast ? TCP_PSH : 0), payload);
      if (this.rng.chance(RETRANSMIT_PROBABILITY)) yield this.segment(side, TCP_ACK | (isLast ? TCP_PSH : 0), payload, { seq });
      offset += length;
      unacked++;
      if (unacked >= ackEvery || (isLast && ackLast)) {
        if (!isLast || ackLast) yield this.segment(1 - side, TCP_ACK);
        unacked = 0;
      }
    }
  }

  *close() {
    const ending = this.rng.weighted({ clientFin: 76, serverFin: 14, clientRst: 5, serverRst: 5 });
    if (ending === 'clientRst') {
      yield this.segment(CLIENT, TCP_RST | TCP_ACK, null, { options: 'none' });
    } else if (ending === 'serverRst') {
      yield this.segment(SERVER, TCP_RST | TCP_ACK, null, { options: 'none' });
    } else {
      const first = ending === 'clientFin' ? CLIENT : SERVER;
      yield this.segment(first, TCP_FIN | TCP_ACK);
      yield this.segment(1 - first, TCP_FIN | TCP_ACK);
      yield this.segment(first, TCP_ACK);
    }
  }
}

function* refusedConnection(conn) {
  conn.sides[SERVER].isn = 0; // a RST answering a SYN carries sequence number 0
  yield conn.segment(CLIENT, TCP_SYN, null, { options: 'syn' });
  yield conn.segment(SERVER, TCP_RST | TCP_ACK, null, { options: 'none' });
}

function* httpConversation(model, conn) {
  const { rng } = model;
  yield* conn.handshake();
  const exchanges = rng.weighted({ 1: 60, 2: 25, 3: 15 });
  for (let i = 0; i < exchanges; i++) {
    const request = httpRequest({ host: conn.server.name, path: rng.pick(URL_PATHS), userAgent: rng.pick(USER_AGENTS) });
    yield* conn.send(CLIENT, request, { ackLast: false });
    const status = Number(rng.weighted({ 200: 85, 304: 7, 404: 8 }));
    const bodyLength = status === 200 ? rng.logUniform(200, 1_500_000) : rng.range(150, 600);
    yield* conn.send(SERVER, httpResponse({ status, bodyLength, date: model.date(), pattern: model.pattern, patternStart: model.patternStart() }));
  }
  yield* conn.close();
}

function* uploadConversation(model, conn) {
  const { rng } = model;
  yield* conn.handshake();
  const bodyLength = rng.logUniform(20_000, 2_000_000);
  const request = httpRequest({
    method: 'POST', host: conn.server.name, path: '/api/v2/upload', userAgent: rng.pick(USER_AGENTS),
    bodyLength, pattern: model.pattern, patternStart: model.patternStart(),
  });
  yield* conn.send(CLIENT, request, { ackLast: false });
  yield* conn.send(SERVER, httpResponse({ status: 200, bodyLength: rng.range(40, 200), date: model.date(), pattern: model.pattern }));
  yield* conn.close();
}

function* httpsConversation(model, conn) {
  const { rng, pattern } = model;
  const random = (n) => rng.fillBytes(Buffer.alloc(n));
  const sessionId = random(32);
  yield* conn.handshake();

  const clientHello = tlsClientHello({ serverName: conn.server.name, random: random(32), sessionId, keyShare: random(32) });
  yield* conn.send(CLIENT, bytesMessage(clientHello), { ackLast: false });
  const serverFlight = concatMessages([
    bytesMessage(tlsServerHello({ random: random(32), sessionId, keyShare: random(32) })),
    tlsApplicationData(pattern, model.patternStart(), rng.range(2500, 5000)), // encrypted extensions, certificate chain
  ]);
  yield* conn.send(SERVER, serverFlight);

  const clientFinished = bytesMessage(tlsChangeCipherSpec());
  const exchanges = rng.weighted({ 1: 55, 2: 30, 3: 15 });
  for (let i = 0; i < exchanges; i++) {
    const request = tlsApplicationData(pattern, model.patternStart(), rng.range(80, 700));
    yield* conn.send(CLIENT, i === 0 ? concatMessages([clientFinished, request]) : request, { ackLast: false });
    const response = tlsApplicationData(pattern, model.patternStart(), rng.logUniform(300, i === 0 ? 2_000_000 : 500_000));
    yield* conn.send(SERVER, response);
  }
  yield* conn.close();
}

// -------------------------------------------------------------------------------------------- DNS

const NXDOMAIN_NAMES = ['wpad.corp.example', 'printer7.corp.example', 'intranet.lan.example', 'oldapp.example.net'];

function* dnsLookup(model) {
  const { rng } = model;
  const client = rng.pick(model.clients);
  const ipVersion = rng.chance(IPV6_SHARE) ? 6 : 4;
  const flowLabel = ipVersion === 6 ? rng.int(1 << 20) : 0;
  const common = { ipVersion, vlanId: client.vlanId, flowLabel };
  const toResolver = makePath({ from: client, to: model.resolver, srcMac: client.mac, dstMac: RESOLVER_MAC, ...common });
  const fromResolver = makePath({ from: model.resolver, to: client, srcMac: RESOLVER_MAC, dstMac: client.mac, ...common });
  const ports = { srcPort: rng.range(33600, 60999), dstPort: 53 }; // clear of the traceroute range 33434-33534
  const replyPorts = { srcPort: 53, dstPort: ports.srcPort };

  const questions = dnsQuestions(model);
  for (const q of questions) yield (buf) => encodeUdpFrame(buf, toResolver, ports, dnsQuery(q));
  for (const q of questions) yield (buf) => encodeUdpFrame(buf, fromResolver, replyPorts, dnsResponse(q));
}

/** One lookup: A (+AAAA, as getaddrinfo does) for a server name, a PTR lookup, or a name that does not exist. */
function dnsQuestions(model) {
  const { rng } = model;
  const ttl = rng.range(30, 3600);
  const server = rng.pick(model.servers);
  const kind = rng.weighted({ address: 70, ptr: 18, nxdomain: 12 });
  if (kind === 'ptr') {
    const target = rng.chance(0.8) ? server : rng.pick(model.clients);
    const ip = rng.chance(IPV6_SHARE) ? target.ip6 : target.ip4;
    const known = Boolean(target.name);
    return [{ id: rng.int(65536), name: reverseName(ip), type: DNS_TYPE.PTR, answers: [target.name], ttl, nxdomain: !known }];
  }
  const name = kind === 'nxdomain' ? rng.pick(NXDOMAIN_NAMES) : server.name;
  const nxdomain = kind === 'nxdomain';
  const questions = [{ id: rng.int(65536), name, type: DNS_TYPE.A, answers: addressAnswers(rng, server.ip4, 4), ttl, nxdomain }];
  if (rng.chance(0.5)) {
    questions.push({ id: rng.int(65536), name, type: DNS_TYPE.AAAA, answers: addressAnswers(rng, server.ip6, 16), ttl, nxdomain });
  }
  return questions;
}

function addressAnswers(rng, primary, size) {
  const answers = [primary];
  const extra = rng.weighted({ 0: 60, 1: 25, 2: 15 });
  for (let i = 0; i < extra; i++) {
    const ip = Buffer.from(primary);
    ip[size - 1] = (ip[size - 1] + 1 + i) & 0xff;
    answers.push(ip);
  }
  return answers;
}
