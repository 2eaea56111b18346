import type { SideSummary } from '../analysis/analysis-types.js';
import { focusFinding, hostOf, placeOf, type FindingLike, type SlotSource } from './slot-source.js';

/**
 * The platform a capture points to, per side, so the commands for it come first. Evidence, best
 * first: the initial TTL class of the side's packets (the focus finding's facts, else the TCP
 * conversations of that host: 128 Windows; 64 Linux, macOS, Android, iOS; 255 network devices),
 * then for the client NetBIOS name queries or LLMNR (Windows falls back to them after DNS fails;
 * a Linux host with systemd-resolved also speaks LLMNR, so the TTL wins when both are known).
 * HTTP User-Agent headers would help too, but the analysis does not keep them.
 */
export type PlatformFamily = 'windows' | 'unix' | 'network-device';

export interface PlatformGuess {
  client: PlatformFamily | null;
  server: PlatformFamily | null;
  /** Case-page platform values, the client's first: commands for these come first. Empty: unknown. */
  platforms: string[];
  /** Why, one short phrase per side that was guessed. */
  because: string[];
}

const FAMILY_OF_TTL: Record<number, PlatformFamily> = { 128: 'windows', 64: 'unix', 255: 'network-device' };
const CLIENT_PLATFORMS: Record<PlatformFamily, string[]> = { windows: ['windows', 'windows-server'], unix: ['linux', 'macos', 'android', 'ios'], 'network-device': ['network-device'] };
const SERVER_PLATFORMS: Record<PlatformFamily, string[]> = { windows: ['windows-server', 'windows'], unix: ['linux', 'macos'], 'network-device': ['network-device'] };

export function platformOf(source: SlotSource, focus?: FindingLike | null): PlatformGuess {
  const f = focusFinding(source, focus);
  const place = placeOf(source, f);
  const facts = f === null ? undefined : source.findingFacts?.[source.findings.indexOf(f)];
  const because: string[] = [];
  const side = (which: 'client' | 'server', factTtl: unknown, host: string | null): PlatformFamily | null => {
    const ttl = typeof factTtl === 'number' ? factTtl : ttlOfHost(source, host, which);
    const family = ttl === null ? null : (FAMILY_OF_TTL[ttl] ?? null);
    if (family !== null) because.push(`${which} initial TTL ${ttl}`);
    return family;
  };
  let client = side('client', facts?.client_ttl_class, place.client === null ? null : hostOf(place.client));
  const server = side('server', facts?.server_ttl_class, place.server === null ? null : hostOf(place.server));
  if (client === null) {
    const clientHost = place.client === null ? null : hostOf(place.client);
    const asks = (source.exchanges?.dns ?? []).filter((t) => t.protocol === 'nbns' || t.protocol === 'llmnr');
    // The client's own queries; else any host's (the client's other address family, often).
    const own = asks.find((t) => clientHost === null || hostOf(t.client) === clientHost);
    const fallback = own ?? asks[0];
    if (fallback !== undefined) {
      client = 'windows';
      because.push(`${own !== undefined ? 'client asks' : 'a host in the capture asks'} names by ${fallback.protocol.toUpperCase()}`);
    }
  }
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
    const sideSummary = (which === 'client' ? flow.origSide : flow.respSide) as Partial<SideSummary>;
    const ttl = sideSummary.initialTtl;
    if (hostOf(own) !== host || typeof ttl !== 'number' || !(ttl in FAMILY_OF_TTL)) continue;
    counts.set(ttl, (counts.get(ttl) ?? 0) + 1);
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best?.[0] ?? null;
}
