/**
 * The operating system an HTTP User-Agent names, for the platform guess (platform-of.ts). Browsers
 * write it in their first parenthesis (`Mozilla/5.0 (Windows NT 10.0; Win64; x64) ...`), and a
 * few Windows components send a User-Agent of their own (certificate revocation fetches, the
 * connectivity probe, Windows Update). Tools name only themselves: `curl/8.5.0`,
 * `python-requests/2.31`, `Go-http-client/1.1`; wget and old curl add their build target in lower
 * case (`Wget/1.21 (linux-gnu)`, `x86_64-apple-darwin`), which says where the tool was built, not
 * what this client is, so they say nothing. The rules run in this order, first match wins:
 *
 * | platform | tokens (case as written) | why here |
 * | --- | --- | --- |
 * | android | `Android` | Android's browsers and WebViews write `Linux; Android 14`: before Linux |
 * | ios | `iPhone`, `iPad`, `iPod`, `iOS` | iPhone Safari writes `like Mac OS X`: before macOS |
 * | windows | `Windows NT`, `Win32`, `Win64`; `Microsoft-CryptoAPI/`, `Microsoft NCSI`, `Windows-Update-Agent` at the start | |
 * | macos | `Macintosh`, `Mac OS X`, `macOS` | |
 * | linux | `X11`, `Linux` | desktop browsers on Linux (and ChromeOS, `X11; CrOS`) |
 */
export type UserAgentPlatform = 'windows' | 'linux' | 'macos' | 'android' | 'ios';

const RULES: readonly [UserAgentPlatform, RegExp][] = [
  ['android', /\bAndroid\b/],
  ['ios', /\b(?:iPhone|iPad|iPod|iOS)\b/],
  ['windows', /\bWindows NT\b|\bWin(?:32|64)\b|^Microsoft-CryptoAPI\/|^Microsoft NCSI\b|^Windows-Update-Agent\b/],
  ['macos', /\bMacintosh\b|\bMac OS X\b|\bmacOS\b/],
  ['linux', /\bX11\b|\bLinux\b/],
];

export function platformOfUserAgent(userAgent: string): UserAgentPlatform | null {
  if (userAgent === '') return null;
  return RULES.find(([, pattern]) => pattern.test(userAgent))?.[0] ?? null;
}
