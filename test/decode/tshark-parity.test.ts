import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-capture.js';
import { FrameDecoder } from '../../src/decode/decode-frame.js';
import { packetToJson, type PacketJson } from '../../src/report/packet-json.js';

/**
 * Field-for-field parity with Wireshark: for every fixture capture, tshark 4.0's output of the same
 * fields (committed under test/golden/decode/, made by test/fixtures/make-decode-golden.sh, see its
 * README) must agree with `netcase decode --json` on every frame. tshark is not needed here.
 *
 * Where the two legitimately differ, the rule is written below and applies to every capture:
 * - IP fragments: tshark shows the transport layer only on the frame that completes reassembly;
 *   netcase decodes frames one by one, so transport fields of fragments are not compared.
 * - Tunnels: tshark lists outer and inner headers as several occurrences; netcase reports the
 *   innermost, compared with the last occurrence. VXLAN's UDP header is the outer one, so UDP
 *   fields are compared only when netcase's innermost packet is UDP too. ICMP errors: the first
 *   occurrence is the error itself, later ones the quoted header (netcase's icmp.inner).
 * - dns.a / dns.aaaa list addresses from every section; netcase keeps answers and the other
 *   sections' addresses apart (answers, additional), so both are compared together.
 * - nbns.name in answers carries Wireshark's service annotation ("NAME<20> (Server service)").
 * - TLS 1.3 encrypted records: tshark moves their type to tls.record.opaque_type; the two columns
 *   together are compared with netcase's content types, in any order.
 */
const GOLDEN = resolve(import.meta.dirname, '..', 'golden', 'decode');
const CAPTURE_DIRS = [resolve(import.meta.dirname, '..', 'fixtures', 'decode'), resolve(import.meta.dirname, '..', 'fixtures', 'captures')];

type Row = Record<string, string>;

function readTsv(path: string): Row[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const names = header.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

async function decodeAll(path: string): Promise<PacketJson[]> {
  const out: PacketJson[] = [];
  for await (const capture of readCaptures(path)) {
    const decoder = new FrameDecoder();
    for await (const batch of capture.frames()) {
      for (let i = 0; i < batch.count; i++) {
        const p = decoder.decode(batch, i);
        out.push(packetToJson(p, batch.data, batch.firstNumber + i, batch.tsSec[i], batch.tsNsec[i], 0, batch.originalLength[i], batch.capturedLength[i]));
      }
    }
  }
  return out;
}

const list = (v: string | undefined): string[] => (v === undefined || v === '' ? [] : v.split(','));
const first = (v: string | undefined): string | undefined => list(v)[0];
const last = (v: string | undefined): string | undefined => list(v).at(-1);
const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : v.startsWith('0x') ? parseInt(v, 16) : Number(v));
const bool = (v: string | undefined): boolean | undefined => (v === undefined || v === '' ? undefined : v === '1' || v === 'True');

const FLAG_BITS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, AE: 256 };

/** Every difference between one tshark row and netcase's object for the same frame. */
export function compareRow(t: Row, j: PacketJson): string[] {
  const diffs: string[] = [];
  const same = (field: string, theirs: unknown, ours: unknown) => {
    if (theirs === undefined || theirs === '') return;
    if (JSON.stringify(theirs) !== JSON.stringify(ours)) diffs.push(`${field}: tshark ${JSON.stringify(theirs)}, netcase ${JSON.stringify(ours)}`);
  };
  same('frame.len', num(t['frame.len']), j.length);
  same('frame.cap_len', num(t['frame.cap_len']), j.capturedLength);
  const icmpError = j.icmp?.inner !== undefined;
  const pick = icmpError ? first : last;
  const fragment = j.ip !== undefined && (j.ip.mf === true || (j.ip.fragmentOffset ?? 0) > 0);
  if (j.ip?.version === 4) {
    same('ip.src', pick(t['ip.src']), j.src);
    same('ip.dst', pick(t['ip.dst']), j.dst);
    same('ip.ttl', num(pick(t['ip.ttl'])), j.ip.ttl);
    same('ip.id', num(pick(t['ip.id'])), j.ip.id);
    same('ip.flags.df', bool(pick(t['ip.flags.df'])), j.ip.df);
    same('ip.flags.mf', bool(pick(t['ip.flags.mf'])), j.ip.mf);
    same('ip.dsfield.ecn', num(pick(t['ip.dsfield.ecn'])), j.ip.ecn);
    same('ip.proto', num(pick(t['ip.proto'])), j.ip.proto);
  } else if (j.ip?.version === 6) {
    same('ipv6.src', pick(t['ipv6.src']), j.src);
    same('ipv6.dst', pick(t['ipv6.dst']), j.dst);
    same('ipv6.hlim', num(pick(t['ipv6.hlim'])), j.ip.ttl);
    same('ipv6.tclass.ecn', num(pick(t['ipv6.tclass.ecn'])), j.ip.ecn);
  } else if (t['ip.src'] === '' && t['ipv6.src'] === '') {
    same('eth.src', first(t['eth.src']), j.src);
  }
  if (icmpError && j.icmp?.inner !== undefined) {
    const inner = j.icmp.inner;
    same('quoted ip.src', list(t['ip.src'])[1] ?? list(t['ipv6.src'])[1], inner.src);
    same('quoted ip.dst', list(t['ip.dst'])[1] ?? list(t['ipv6.dst'])[1], inner.dst);
  }
  if (!fragment) {
    const tcpPorts = t['tcp.srcport'] !== '';
    const udpPorts = t['udp.srcport'] !== '';
    if (tcpPorts) {
      same('tcp.srcport', num(pick(t['tcp.srcport'])), j.srcPort);
      same('tcp.dstport', num(pick(t['tcp.dstport'])), j.dstPort);
      same('tcp.seq_raw', num(pick(t['tcp.seq_raw'])), j.tcp?.seq);
    }
    if (tcpPorts && !icmpError) {
      same('tcp.ack_raw', num(last(t['tcp.ack_raw'])), j.tcp?.ack);
      same('tcp.flags', num(last(t['tcp.flags'])), (j.tcp?.flags ?? []).reduce((a, f) => a | FLAG_BITS[f], 0));
      same('tcp.len', num(last(t['tcp.len'])), j.tcp?.len);
      same('tcp.window_size_value', num(last(t['tcp.window_size_value'])), j.tcp?.window);
      same('tcp.options.mss_val', num(t['tcp.options.mss_val']), j.tcp?.mss);
      same('tcp.options.wscale.shift', num(t['tcp.options.wscale.shift']), j.tcp?.windowScale);
      if (t['tcp.options.sack_perm'] !== '') same('tcp.options.sack_perm', true, j.tcp?.sackPermitted);
      if (t['tcp.options.sack_le'] !== '') {
        const le = list(t['tcp.options.sack_le']).map(Number);
        const re = list(t['tcp.options.sack_re']).map(Number);
        same('tcp.options.sack', le.flatMap((l, i) => [l, re[i]]), j.tcp?.sack);
      }
      same('tcp.options.timestamp.tsval', num(t['tcp.options.timestamp.tsval']), j.tcp?.tsVal);
      same('tcp.options.timestamp.tsecr', num(t['tcp.options.timestamp.tsecr']), j.tcp?.tsEcr);
    }
    if (udpPorts && !tcpPorts && !(j.tunnels?.includes('vxlan') && j.udp === undefined)) {
      same('udp.srcport', num(pick(t['udp.srcport'])), j.srcPort);
      same('udp.dstport', num(pick(t['udp.dstport'])), j.dstPort);
      if (!icmpError) same('udp.length', num(last(t['udp.length'])), j.udp?.len);
    }
  }
  same('icmp.type', num(first(t['icmp.type'])), j.icmp?.type);
  same('icmp.code', num(first(t['icmp.code'])), j.icmp?.code);
  same('icmpv6.type', num(first(t['icmpv6.type'])), j.icmp?.type);
  same('icmpv6.code', num(first(t['icmpv6.code'])), j.icmp?.code);
  if (t['dns.id'] !== '' && t['dns.id'] !== undefined) {
    same('dns.id', num(first(t['dns.id'])), j.dns?.id);
    same('dns.flags.response', bool(first(t['dns.flags.response'])), j.dns?.response);
    same('dns.flags.opcode', num(first(t['dns.flags.opcode'])), j.dns?.opcode);
    same('dns.qry.name', first(t['dns.qry.name']), j.dns?.qname);
    same('dns.qry.type', num(first(t['dns.qry.type'])), j.dns?.qtype);
    same('dns.flags.rcode', num(first(t['dns.flags.rcode'])), j.dns?.rcode);
    const answers = (type: string) => [...(j.dns?.answers ?? []), ...(j.dns?.additional ?? [])].filter((a) => a.type === type).map((a) => a.data);
    same('dns.a', list(t['dns.a']).length ? list(t['dns.a']) : undefined, answers('A'));
    same('dns.aaaa', list(t['dns.aaaa']).length ? list(t['dns.aaaa']) : undefined, answers('AAAA'));
    same('dns.ptr.domain_name', list(t['dns.ptr.domain_name']).length ? list(t['dns.ptr.domain_name']) : undefined, answers('PTR'));
    same('dns.cname', list(t['dns.cname']).length ? list(t['dns.cname']) : undefined, answers('CNAME'));
  }
  if (t['nbns.id'] !== '' && t['nbns.id'] !== undefined) {
    same('nbns.id', num(first(t['nbns.id'])), j.nbns?.id);
    same('nbns.flags.response', bool(first(t['nbns.flags.response'])), j.nbns?.response);
    same('nbns.name', first(t['nbns.name'])?.replace(/ \(.*\)$/, ''), j.nbns?.name);
  }
  if (t['tls.record.content_type'] !== '' && t['tls.record.content_type'] !== undefined) {
    const types = [...list(t['tls.record.content_type']), ...list(t['tls.record.opaque_type'])].map(Number).sort();
    same('tls.record.content_type', types, [...(j.tls?.contentTypes ?? [])].sort());
    same('tls.handshake.type', list(t['tls.handshake.type']).length ? list(t['tls.handshake.type']).map(Number) : undefined, j.tls?.handshakeTypes);
    same('tls.handshake.extensions_server_name', first(t['tls.handshake.extensions_server_name']), j.tls?.sni);
    same('tls.handshake.extensions_alpn_str', list(t['tls.handshake.extensions_alpn_str']).length ? list(t['tls.handshake.extensions_alpn_str']) : undefined, j.tls?.alpn);
    same('tls.alert_message.level', num(first(t['tls.alert_message.level'])), j.tls?.alert?.level);
    same('tls.alert_message.desc', num(first(t['tls.alert_message.desc'])), j.tls?.alert?.description);
  }
  const tags = [...list(t['ieee8021ad.id']), ...list(t['vlan.id'])].map(Number);
  if (tags.length > 0) same('vlan ids (ieee8021ad.id, vlan.id)', tags, j.vlan);
  if (t['ipv6.fraghdr.ident'] !== undefined && t['ipv6.fraghdr.ident'] !== '') {
    same('ipv6.fraghdr.ident', num(last(t['ipv6.fraghdr.ident'])), j.ip?.id);
    same('ipv6.fraghdr.offset', (num(last(t['ipv6.fraghdr.offset'])) ?? 0) * 8, j.ip?.fragmentOffset);
    same('ipv6.fraghdr.more', bool(last(t['ipv6.fraghdr.more'])), j.ip?.mf);
  }
  same('http.request.method', first(t['http.request.method']), j.http?.method);
  same('http.request.uri', first(t['http.request.uri']), j.http?.uri);
  same('http.host', first(t['http.host']), j.http?.host);
  same('http.response.code', num(first(t['http.response.code'])), j.http?.status);
  return diffs;
}

const goldens = existsSync(GOLDEN) ? readdirSync(GOLDEN).filter((f) => f.endsWith('.tsv')) : [];

describe('decode agrees with tshark 4.0 field for field', () => {
  it('has a golden file for every decode fixture', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(10);
  });

  it.each(goldens)('%s', async (golden) => {
    const base = golden.replace(/\.tsv$/, '');
    const capture = CAPTURE_DIRS.map((d) => join(d, base)).find((p) => existsSync(p));
    expect(capture, `capture for ${golden}`).toBeDefined();
    const rows = readTsv(join(GOLDEN, golden));
    const ours = await decodeAll(capture as string);
    expect(ours.length).toBe(rows.length);
    const diffs = rows.flatMap((row, i) => compareRow(row, ours[i]).map((d) => `frame ${i + 1}: ${d}`));
    expect(diffs).toEqual([]);
  });
});
