import { describe, expect, it } from 'vitest';
import { etlConversions, framesPerPartUnder, splitCommand } from '../../src/capture/file-commands.js';
import { CaptureError } from '../../src/capture/types.js';
import { words, type Lang } from '../../src/report/words.js';
import { analysisFailure, downloadRefusal, etlFailure } from '../../src/slack/failure-text.js';

const deps = (lang: Lang = 'en') => ({
  lang,
  spoolDir: '/var/spool/netcase',
  maxCaptureBytes: 1024 * 1048576,
  analysis: { maxAnalysisS: 600, maxOldGenerationMb: 1024, maxDecompressedBytes: 4096 * 1048576, worker: true, draw: false },
});
const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
const heap = new Error('the analysis needed more than its 1024 MB heap (NETCASE_ANALYSIS_HEAP_MB)');
const bomb = new CaptureError('capture.decompression_limit', 'x.zip: decompresses to more than 4096 MB in all, counting every archive member and level (NETCASE_MAX_DECOMPRESSED_MB); reading stopped');
const cut = new CaptureError('capture.corrupt_compression', 'x.pcap.gz: the compressed data ends before anything could be decompressed (the file was cut off); upload the whole file');
const died = new Error('analysis worker exited with code 134 (out of memory? maxOldGenerationMb=1024)');

/** Every text the bot's words hold, with sample arguments: what a Slack user can read. */
function everyText(lang: Lang): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'function') out.push(String(v('NAME', 'WHY', 'X')));
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(words(lang));
  return out;
}

describe('failures in words a user can act on', () => {
  it('no text of the bot, in either language, names an environment variable', () => {
    for (const lang of ['en', 'zh'] as const) {
      const texts = everyText(lang);
      expect(texts.length).toBeGreaterThan(40);
      expect(texts.filter((t) => /\b(NETCASE|SLACK)_[A-Z_]+/.test(t))).toEqual([]);
    }
    for (const error of [timeout, heap, bomb, cut, died]) expect(analysisFailure(deps(), 'x.pcap', error).mrkdwn).not.toMatch(/NETCASE_|SLACK_|\/var\/spool/);
  });

  it('the limits as numbers, with what to do; Analyse again only where another run can end differently', () => {
    expect(analysisFailure(deps(), 'big.pcapng', timeout)).toEqual({
      icon: ':x:',
      mrkdwn: "The analysis of big.pcapng stopped at the bot's time limit of 600 s. Ask the bot's admin to raise it, or cut the capture into smaller files with Wireshark's editcap and upload the part with the problem: `editcap -c 1000000 big.pcapng part.pcapng`",
      stored: "it stopped at the bot's time limit of 600 s",
      again: false,
    });
    expect(analysisFailure(deps(), 'big.pcapng', heap)).toMatchObject({ stored: "it needed more than the bot's memory limit of 1024 MB", again: false });
    expect(analysisFailure(deps(), 'x.zip', bomb)).toEqual({
      icon: ':warning:',
      mrkdwn: "Could not read x.zip: it decompresses to more than the bot's limit of 4096 MB. Ask the bot's admin to raise it, or upload fewer or smaller captures at a time.",
      stored: "it decompresses to more than the bot's limit of 4096 MB",
      again: false,
    });
    // The reader's own reason (already stored by the analysis), named as uploaded.
    expect(analysisFailure(deps(), 'x.pcap.gz', cut)).toEqual({
      icon: ':warning:',
      mrkdwn: 'Could not read x.pcap.gz: the compressed data ends before anything could be decompressed (the file was cut off); upload the whole file',
      stored: null,
      again: false,
    });
    expect(analysisFailure(deps(), 'x.pcap', died)).toEqual({
      icon: ':x:',
      mrkdwn: 'The analysis of x.pcap failed: the process analysing it stopped unexpectedly. The investigation stays open; try *Analyse again*.',
      stored: null,
      again: true,
    });
  });

  it('refused downloads: again after what the bot\'s admin can fix, never for a file over the size limit or a link with credentials', () => {
    const again = (reason: 'html' | 'untrusted' | 'credentials' | 'too-big' | 'http') => downloadRefusal(deps(), 'x.pcap', { ok: false, reason, detail: 'https://elsewhere.example' }).again;
    expect([again('html'), again('untrusted'), again('http'), again('too-big'), again('credentials')]).toEqual([true, true, true, false, false]);
    expect(downloadRefusal(deps('zh'), 'x.pcap', { ok: false, reason: 'too-big', detail: '' }).mrkdwn).toBe(
      '不下载：这个文件超过了机器人的大小上限（1024 MB）。请让机器人的管理员调高上限，或者用 Wireshark 自带的 editcap 把抓包切成几个小文件，只上传出问题的那一段：`editcap -c 670000 x.pcap part.pcapng`',
    );
  });

  it('an ETL trace: one conversion when the kind is known, both and each named when not; no Analyse again', () => {
    expect(etlFailure('en', 'PktMon.etl', 'pktmon')).toEqual({
      icon: ':warning:',
      mrkdwn: 'PktMon.etl is a pktmon trace (a Windows ETL file), not a packet capture. Convert it with pktmon on Windows 10 2004 or later, then upload the .pcapng in this thread:\n```pktmon etl2pcap PktMon.etl --out PktMon.pcapng```',
      stored: 'PktMon.etl is a pktmon trace (a Windows ETL file), not a packet capture. Convert it with pktmon on Windows 10 2004 or later, then upload the .pcapng in this thread: pktmon etl2pcap PktMon.etl --out PktMon.pcapng',
      again: false,
    });
    expect(etlFailure('en', 'a.etl', 'unknown').mrkdwn).toBe(
      'a.etl is a Windows ETL trace, not a packet capture. Convert it on Windows, then upload the .pcapng in this thread.\n' +
        'A pktmon trace (Windows 10 2004 or later):\n```pktmon etl2pcap a.etl --out a.pcapng```\n' +
        "A `netsh trace` file, with Microsoft's free etl2pcapng (github.com/microsoft/etl2pcapng):\n```etl2pcapng.exe a.etl a.pcapng```",
    );
  });
});

describe('commands filled in with the file name', () => {
  it('names that are not plain are quoted for cmd.exe and a POSIX shell alike; a .gz or .zip around an ETL trace is taken off', () => {
    expect(etlConversions('netsh', 'my trace.etl').map((c) => c.command)).toEqual(['etl2pcapng.exe "my trace.etl" "my trace.pcapng"']);
    expect(etlConversions('pktmon', 'x.zip/logs/PktMon.etl.gz').map((c) => c.command)).toEqual(['pktmon etl2pcap PktMon.etl --out PktMon.pcapng']);
    expect(splitCommand('a `b` $c%.pcap', 1000)).toBe('editcap -c 1000 "a _b_ _c_.pcap" part.pcapng');
  });

  it('parts under a size limit at 1,600 bytes a frame, two significant digits, rounded down', () => {
    expect([framesPerPartUnder(1048576), framesPerPartUnder(1024 * 1048576), framesPerPartUnder(100 * 1048576), framesPerPartUnder(1000)]).toEqual([650, 670_000, 65_000, 1]);
  });
});
