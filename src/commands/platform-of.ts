import { focusFinding, hostOf, placeOf, type FindingLike, type SlotSource } from './slot-source.js';
import { platformOfUserAgent, type UserAgentPlatform } from './user-agent-platform.js';

/**
 * The platform a capture points to, per side, so the commands for it come first. Evidence, best
 * first:
 * 1. the initial TTL class of the side's packets (the focus finding's facts, else the TCP
 *    conversations of that host): 128 Windows; 64 Linux, macOS, Android, iOS; 255 network devices;
 * 2. for the client, the User-Agent of its HTTP requests (user-agent-platform.ts: Windows NT,
 *    Android, iPhone/iPad/iOS, Macintosh/Mac OS X, Linux/X11; curl, wget or python say nothing);
 * 3. for the client, NetBIOS name queries or LLMNR (Windows falls back to them after DNS fails;
 *    a Linux host with systemd-resolved also speaks LLMNR, so both rules above win over it).
 * The TTL wins where the TTL and the User-Agent disagree (a Windows User-Agent behind a TTL of
 * 64 is a proxy or a spoofed header); the User-Agent only narrows the TTL's class: TTL 64 and an
 * Android User-Agent make the client `android`, whose commands then come before the other TTL-64
 * systems'. A User-Agent naming Windows beside a TTL of 128 adds nothing and is not cited.
 */
export type PlatformFamily = 'windows' | 'unix' | 'network-device' | Exclude<UserAgentPlatform, 'windows'>;
type TtlFamily = 'windows' | 'unix' | 'network-device';

export interface PlatformGuess {
  client: PlatformFamily | null;
  server: PlatformFamily | null;
  /** Case-page platform values, the client's first: commands for these come first. Empty: unknown. */
  platforms: string[];
  /** Why, one short phrase per piece of evidence used ("client initial TTL 64", "client User-Agent says Android"). */
  because: string[];
}

const FAMILY_OF_TTL: Record<number, TtlFamily> = { 128: 'windows', 64: 'unix', 255: 'network-device' };
const UNIX = ['linux', 'macos', 'android', 'ios'];
/** A family narrowed by the User-Agent keeps the other TTL-64 systems after it (few pages have Android or iOS commands). */
const CLIENT_PLATFORMS: Record<PlatformFamily, string[]> = {
  windows: ['windows', 'windows-server'],
  unix: UNIX,
  linux: UNIX,
  macos: ['macos', ...UNIX.filter((p) => p !== 'macos')],
  android: ['android', ...UNIX.filter((p) => p !== 'android')],
  ios: ['ios', ...UNIX.filter((p) => p !== 'ios')],
  'network-device': ['network-device'],
};
const SERVER_PLATFORMS: Record<TtlFamily, string[]> = { windows: ['windows-server', 'windows'], unix: ['linux', 'macos'], 'network-device': ['network-device'] };
const UA_WORDS: Record<UserAgentPlatform, string> = { windows: 'Windows', linux: 'Linux', macos: 'macOS', android: 'Android', ios: 'iOS' };

export function platformOf(source: SlotSource, focus?: FindingLike | null): PlatformGuess {
  const f = focusFinding(source, focus);
  const place = placeOf(source, f);
  const facts = f === null ? undefined : source.findingFacts?.[source.findings.indexOf(f)];
  const because: string[] = [];
  const side = (which: 'client' | 'server', factTtl: unknown, host: string | null): TtlFamily | null => {
    const ttl = typeof factTtl === 'number' ? factTtl : ttlOfHost(source, host, which);
    const family = ttl === null ? null : (FAMILY_OF_TTL[ttl] ?? null);
    if (family !== null) because.push(`${which} initial TTL ${ttl}`);
    return family;
  };
  const clientHost = place.client === null ? null : hostOf(place.client);
  const clientTtl = side('client', facts?.client_ttl_class, clientHost);
  let client: PlatformFamily | null = clientTtl;
  const agent = userAgentOf(source, clientHost);
  if (agent !== null && (clientTtl === null || (clientTtl === 'unix' && agent !== 'windows'))) {
    client = agent;
    because.push(`client User-Agent says ${UA_WORDS[agent]}`);
  }
  if (client === null) {
    const asks = (source.exchanges?.dns ?? []).filter((t) => t.protocol === 'nbns' || t.protocol === 'llmnr');
    // The client's own queries; else any host's (the client's other address family, often).
    const own = asks.find((t) => clientHost === null || hostOf(t.client) === clientHost);
    const fallback = own ?? asks[0];
    if (fallback !== undefined) {
      client = 'windows';
      because.push(`${own !== undefined ? 'client asks' : 'a host in the capture asks'} names by ${fallback.protocol.toUpperCase()}`);
    }
  }
  const server = side('server', facts?.server_ttl_class, place.server === null ? null : hostOf(place.server));
  const platforms = [...new Set([...(client === null ? [] : CLIENT_PLATFORMS[client]), ...(server === null ? [] : SERVER_PLATFORMS[server])])];
  return { client, server, platforms, because };
}

/** The initial TTL most of a host's TCP conversations show on its side, or null. */
function ttlOfHost(source: SlotSource, host: string | null, which: 'client' | 'server'): number | null {
  if (host === null) return null;
  const counts = new Map<number, number>();
  for (const flow of source.flows ?? []) {
    if (flow.proto !== 'tcp') continue;
    const own = which === 'client' ? flow.orig : flow.resp;
    const ttl = (which === 'client' ? flow.origSide : flow.respSide).initialTtl;
    if (hostOf(own) !== host || typeof ttl !== 'number' || !(ttl in FAMILY_OF_TTL)) continue;
    counts.set(ttl, (counts.get(ttl) ?? 0) + 1);
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best?.[0] ?? null;
}

/** The platform the first of the client's HTTP requests that names one says, or null. */
function userAgentOf(source: SlotSource, host: string | null): UserAgentPlatform | null {
  if (host === null) return null;
  for (const x of source.exchanges?.http ?? []) {
    const platform = hostOf(x.client) === host ? platformOfUserAgent(x.userAgent) : null;
    if (platform !== null) return platform;
  }
  return null;
}
