import { describe, expect, it } from 'vitest';
import { platformOfUserAgent } from '../../src/commands/user-agent-platform.js';

/** The OS a User-Agent names (real User-Agents from the fixture captures and common clients); tools name none. */
describe('platformOfUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/115.0.5790.110 Safari/537.36', 'windows'],
    ['Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; .NET CLR 2.0.50727; .NET', 'windows'],
    ['Microsoft NCSI', 'windows'],
    ['Microsoft-CryptoAPI/10.0', 'windows'],
    ['Mozilla/5.0 (Linux; Android 6.0.1; SGP621 Build/23.5.A.1.291; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/73.0', 'android'],
    ['Dalvik/2.1.0 (Linux; U; Android 11; Pixel 5 Build/RQ3A.210805.001.A1)', 'android'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 'ios'],
    ['Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X) AppleWebKit/605.1.15', 'ios'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_3) AppleWebKit/534.55.3 (KHTML, like Gecko) Version/5.1.3 Safari/534.53.10', 'macos'],
    ['Mozilla/5.0 (X11; Fedora; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.99 Safari/537.36', 'linux'],
    ['ELinks/0.10.4-7-debian (textmode; Linux 2.6.11-1-686-smp i686; 132x56-2)', 'linux'],
  ])('%s: %s', (agent, platform) => {
    expect(platformOfUserAgent(agent)).toBe(platform);
  });

  it.each([
    'curl/7.88.1',
    'curl/7.24.0 (x86_64-apple-darwin12.0) libcurl/7.24.0 OpenSSL/0.9.8y zlib/1.2.5',
    'curl/7.19.7 (x86_64-redhat-linux-gnu) libcurl/7.19.7 NSS/3.13.6.0',
    'Wget/1.15 (linux-gnu)',
    'python-requests/2.31.0',
    'Python/3.10 websockets/12.0',
    'Go-http-client/1.1',
    'Mozilla',
    '',
  ])('a tool says nothing about the OS: %j', (agent) => {
    expect(platformOfUserAgent(agent)).toBeNull();
  });
});
