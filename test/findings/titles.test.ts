import { describe, expect, it } from 'vitest';
import { CATALOG, FINDING_CODES } from '../../src/findings/catalog.js';
import { findingTitle } from '../../src/findings/finding-text.js';
import { TITLES_ZH } from '../../src/findings/titles-zh.js';

describe('finding titles', () => {
  it('every code has an English and a Chinese title, and no other key', () => {
    expect(Object.keys(TITLES_ZH).sort()).toEqual([...FINDING_CODES].sort());
    for (const code of FINDING_CODES) {
      expect(findingTitle(code, 'en')).toBe(CATALOG[code].title);
      expect(findingTitle(code, 'zh')).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('Chinese titles keep protocol terms as they are', () => {
    expect(findingTitle('tcp.pmtud_blackhole', 'zh')).toContain('MTU');
    expect(findingTitle('tcp.ecn_syn_blackhole', 'zh')).toContain('ECN');
    expect(findingTitle('tcp.ecn_syn_blackhole', 'zh')).toContain('SYN');
    expect(findingTitle('dns.ptr_lookup_stall', 'zh')).toContain('DNS');
  });

  it('an unknown code (a row stored by a later version) is shown as it is', () => {
    expect(findingTitle('tcp.not_a_code', 'zh')).toBe('tcp.not_a_code');
    expect(findingTitle('toString', 'en')).toBe('toString');
  });
});
