import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEtl } from '../capture/etl-builder.js';
import { fixture } from '../capture/helpers.js';
import { netcase } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'netcase-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const RFC3339_NS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

function expectOneLineError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('netcase info --json', () => {
  it('prints exactly one object with the documented fields', () => {
    const r = netcase(['info', fixture('eth-nsec.pcap'), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const info = JSON.parse(lines[0]);
    expect(Object.keys(info)).toEqual(
      expect.arrayContaining(['file', 'format', 'compression', 'linkTypes', 'interfaces', 'packets', 'bytes', 'firstTime', 'lastTime', 'durationMs', 'snaplen', 'warnings']),
    );
    expect(info).toMatchObject({
      format: 'pcap',
      compression: null,
      linkTypes: [{ id: 1, name: 'ETHERNET' }],
      interfaces: [{ id: 0, linkType: 1, snaplen: 262144, tsResolution: 'ns', drops: null }],
      packets: 50,
      snaplen: 262144,
      warnings: [],
    });
    expect(info.firstTime).toMatch(RFC3339_NS);
    expect(info.lastTime).toMatch(RFC3339_NS);
    expect(info.durationMs).toBeGreaterThan(0);
  });

  it('gives the nine-digit time of a nanosecond capture exactly', () => {
    const golden = JSON.parse(readFileSync(new URL('../golden/fixtures-capinfos.json', import.meta.url), 'utf8'))['eth-nsec.pcap'];
    const info = JSON.parse(netcase(['info', fixture('eth-nsec.pcap'), '--json']).stdout);
    const [sec, frac] = golden.firstTime.split('.');
    const expected = new Date(Number(sec) * 1000).toISOString().slice(0, 19) + `.${frac}Z`;
    expect(info.firstTime).toBe(expected);
  });

  it('names compression and prints one object per capture of a zip', () => {
    const gz = JSON.parse(netcase(['info', fixture('eth.pcapng.gz'), '--json']).stdout);
    expect([gz.format, gz.compression, gz.packets]).toEqual(['pcapng', 'gzip', 50]);
    const r = netcase(['info', fixture('two-captures.zip'), '--json']);
    expect(r.code).toBe(0);
    const objects = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(objects.map((o) => [o.file.replace(/^.*\//, ''), o.format, o.compression, o.packets])).toEqual([
      ['eth-usec.pcap', 'pcap', 'zip', 50],
      ['eth.pcapng', 'pcapng', 'zip', 50],
    ]);
  });

  it('a file cut inside a record completes (exit 0) with a capture.truncated_file warning', () => {
    const r = netcase(['info', fixture('truncated-mid-record.pcap'), '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.warnings).toHaveLength(1);
    expect(info.warnings[0]).toMatchObject({ code: 'capture.truncated_file' });
    expect(typeof info.warnings[0].offset).toBe('number');
  });

  it('a record that cannot be true: prints what was read, one line on stderr, exit 2', () => {
    const bytes = Buffer.from(readFileSync(fixture('eth-usec.pcap')));
    let p = 24;
    for (let i = 0; i < 10; i++) p += 16 + bytes.readUInt32LE(p + 8);
    bytes.writeUInt32LE(0x7fffffff, p + 8); // frame 11 claims 2 GB
    const path = join(tmp, 'lying.pcap');
    writeFileSync(path, bytes);
    const r = netcase(['info', path, '--json']);
    expect(r.code).toBe(2);
    const info = JSON.parse(r.stdout);
    expect(info.packets).toBe(10);
    expect(info.warnings[0]).toMatchObject({ code: 'capture.corrupt_record', frame: 11, offset: p });
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toContain('frame 11');
  });
});

describe('netcase info text', () => {
  it('reads like capinfos', () => {
    const r = netcase(['info', fixture('multi-iface.pcapng')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Format:\s+pcapng/);
    expect(r.stdout).toMatch(/Link types:\s+ETHERNET \(1\), LINUX_SLL2 \(276\)/);
    expect(r.stdout).toMatch(/Packets:\s+102/);
    expect(r.stdout).toMatch(/Interface 1:.*link type 276/);
  });
});

describe('bad input and usage: exit 2, one line on stderr, nothing on stdout', () => {
  it.each([
    [['info', '/nonexistent/capture.pcap'], /^netcase: \/nonexistent\/capture\.pcap: no such file\n$/],
    [['info', fixture('not-a-capture.html')], /not-a-capture\.html: this is a web page, not a capture/],
    [['info', fixture('random.bin')], /random\.bin: not a capture file \(first bytes: [0-9a-f ]+\)/],
    [['info'], /expected one capture file.*usage: netcase info FILE/],
    [['info', 'a', 'b'], /expected one capture file/],
    [['info', fixture('eth.pcapng'), '--frobnicate'], /frobnicate/],
    [['analyse-this'], /unknown command "analyse-this"/],
  ])('%j', (args, pattern) => {
    expectOneLineError(netcase(args as string[]), pattern);
  });

  it('an ETL trace gets the conversion that fits it, told by its content, not its name', () => {
    const b = Buffer.alloc(4096);
    b.writeUInt32LE(65536, 0);
    b.writeUInt32LE(4096, 4);
    b.writeUInt32LE(4096, 8);
    b[0x48 + 3] = 0xc0;
    b.writeUInt32LE(65536, 0x48 + 0x20);
    const path = join(tmp, 'NetTrace.etl');
    writeFileSync(path, b);
    // Named like a netsh trace, but nothing in it says which tool wrote it: both conversions.
    expectOneLineError(netcase(['info', path]), /Windows ETL trace, not a packet capture: .*a pktmon trace with `pktmon etl2pcap NetTrace\.etl --out NetTrace\.pcapng`.*a `netsh trace` file with .*`etl2pcapng\.exe NetTrace\.etl NetTrace\.pcapng`/);
    const pktmon = join(tmp, 'capture.etl');
    writeFileSync(pktmon, buildEtl({ logger: 'PktMon' }));
    expectOneLineError(netcase(['info', pktmon]), /capture\.etl: this is a pktmon trace \(Windows ETL\), not a packet capture: convert it on Windows 10 2004 or later with `pktmon etl2pcap capture\.etl --out capture\.pcapng` and upload the \.pcapng\n$/);
  });

  it('NETCASE_MAX_DECOMPRESSED_MB caps gzip; an empty value counts as unset; a bad one is refused', () => {
    const header = readFileSync(fixture('eth-usec.pcap')).subarray(0, 24);
    const path = join(tmp, 'bomb.pcap.gz');
    writeFileSync(path, gzipSync(Buffer.concat([header, Buffer.alloc(3 * 1024 * 1024)])));
    expectOneLineError(netcase(['info', path], { NETCASE_MAX_DECOMPRESSED_MB: '1' }), /bomb\.pcap\.gz: decompresses to more than 1 MB/);
    expect(netcase(['info', path, '--json'], { NETCASE_MAX_DECOMPRESSED_MB: '' }).code).toBe(0);
    expectOneLineError(netcase(['info', path], { NETCASE_MAX_DECOMPRESSED_MB: 'lots' }), /NETCASE_MAX_DECOMPRESSED_MB="lots" is not a positive whole number/);
  });
});

describe('help and version', () => {
  it('--help exits 0 and lists info; no command at all is a usage error', () => {
    const help = netcase(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/netcase info FILE \[--json\]/);
    expectOneLineError(netcase([]), /no command given/);
  });
});

describe('"-" reads a capture from standard input', () => {
  it('info, decode and analyze take a piped capture (gzip too)', () => {
    const pcapng = readFileSync(fixture('eth.pcapng'));
    const info = JSON.parse(netcase(['info', '-', '--json'], {}, pcapng).stdout);
    expect([info.file, info.format, info.packets]).toEqual(['stdin', 'pcapng', 50]);
    const gz = netcase(['info', '-', '--json'], {}, readFileSync(fixture('eth.pcap.gz')));
    expect(JSON.parse(gz.stdout)).toMatchObject({ format: 'pcap', compression: 'gzip', packets: 50 });
    expect(netcase(['decode', '-', '--json', '--limit', '3'], {}, pcapng).stdout.trimEnd().split('\n')).toHaveLength(3);
    const a = JSON.parse(netcase(['analyze', '-', '--json'], {}, pcapng).stdout);
    expect(a.capture.packets).toBe(50);
    expect(a.findings.map((f: { code: string }) => f.code)).toContain('tcp.syn_rejected');
  });

  it('a piped non-capture is refused with one line', () => {
    const r = netcase(['info', '-'], {}, Buffer.from('<!DOCTYPE html><html><body>login</body></html>'));
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe('netcase: stdin: this is a web page, not a capture (a download that saved a login or error page?)\n');
  });
});

describe('a wrong NETCASE_CASE_LIBRARY is a configuration error', () => {
  it('exits 2 with one line naming the folder', () => {
    for (const args of [['cases', 'lint'], ['analyze', fixture('eth-usec.pcap')]]) {
      const r = netcase(args, { NETCASE_CASE_LIBRARY: '/nonexistent/library' });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe('netcase: case library /nonexistent/library: no such folder (NETCASE_CASE_LIBRARY)\n');
    }
  });
});
