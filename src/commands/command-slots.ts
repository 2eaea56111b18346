import { dnsSlots, reverseSlots, suffixSlots } from './name-slots.js';
import { bracketed, safeValue, type SlotValues } from './slot-shapes.js';
import { focusFinding, hostOf, placeOf, portOf, type FindingLike, type SlotSource, type SourceHttp, type SourceName, type SourceTls } from './slot-source.js';

/**
 * The values a capture gives the case pages' command slots (case-library/README.md lists the
 * slots and where each comes from). The focus finding decides which server, client and names the
 * commands are about; what the capture does not show is left out, and fillCommand shows it as a
 * placeholder. Values are checked against their slot's shape when a command is filled.
 */
export function commandSlots(source: SlotSource, focus?: FindingLike | null): SlotValues {
  const f = focusFinding(source, focus);
  const place = placeOf(source, f);
  const names: readonly SourceName[] = source.exchanges?.dns ?? [];
  const tls: readonly SourceTls[] = source.exchanges?.tls ?? [];
  const http: readonly SourceHttp[] = source.exchanges?.http ?? [];
  const slots: SlotValues = {};

  // The server: the focus finding's, else the first TLS or HTTP conversation's.
  const serverEndpoint = place.server ?? tls[0]?.server ?? http[0]?.server ?? null;
  const serverIp = serverEndpoint === null ? null : hostOf(serverEndpoint);
  const port = serverEndpoint === null ? null : portOf(serverEndpoint);
  const clientIp = place.client !== null ? hostOf(place.client) : null;
  if (serverIp !== null) slots.server_ip = serverIp;
  if (port !== null) slots.server_port = String(port);
  if (serverIp !== null && port !== null) slots.server_endpoint = `${bracketed(serverIp)}:${port}`;
  if (clientIp !== null) slots.client_ip = clientIp;

  if (serverIp !== null) {
    const atServer = <T extends { server: string; client: string }>(list: readonly T[]) =>
      list.filter((x) => (place.conversation ? x.server === place.server && x.client === place.client : hostOf(x.server) === serverIp && (port === null || portOf(x.server) === port)));
    const session = atServer(tls).find((s) => s.sni !== '') ?? tls.find((s) => hostOf(s.server) === serverIp && s.sni !== '');
    const request = atServer(http).find((x) => x.host !== '') ?? atServer(http)[0];
    const httpHost = request?.host.replace(/:\d+$/, '') || null;
    const answeredName = names.find((t) => t.protocol === 'dns' && t.answers.includes(serverIp))?.name.replace(/\.$/, '') ?? null;
    if (session !== undefined) slots.sni = session.sni;
    slots.server_host = [session?.sni, httpHost, answeredName].find((h) => h != null && safeValue('server_host', h) !== null) ?? serverIp;
    const url = urlOf(request, session, String(slots.server_host), port);
    if (url !== null) slots.url = url;
  }

  // Name slots from the focus client's own lookups; from anyone's when it made none (the same
  // host may have asked over its other address family).
  const dns = dnsSlots(names, f, clientIp);
  Object.assign(slots, 'dns_server' in dns || clientIp === null ? dns : dnsSlots(names, f, null));
  const suffixes = suffixSlots(names, clientIp);
  Object.assign(slots, 'short_name' in suffixes || clientIp === null ? suffixes : suffixSlots(names, null));
  const lookupHost = f !== null && (f.code === 'dns.ptr_lookup_stall' || f.code === 'nbns.node_status_probe') ? serverIp : clientIp;
  const reverse = reverseSlots(names, lookupHost);
  Object.assign(slots, 'ptr_address' in reverse || lookupHost === null ? reverse : reverseSlots(names, null));

  const interfaces = [...new Set((source.capture?.interfaces ?? []).map((i) => i.name ?? '').filter((n) => n !== ''))];
  if (interfaces.length === 1 && interfaces[0] !== 'any') slots.interface = interfaces[0];
  return slots;
}

/**
 * The URL the client asked for: an HTTP request's Host and path (its query string left out: it
 * may hold tokens, and `&` means something to every shell), https://SNI/ for a TLS session, or
 * the scheme the well-known ports imply.
 */
function urlOf(request: SourceHttp | undefined, session: SourceTls | undefined, host: string, port: number | null): string | null {
  const withPort = (scheme: 'http' | 'https', h: string) => `${scheme}://${bracketed(h)}${port === null || port === (scheme === 'http' ? 80 : 443) ? '' : `:${port}`}`;
  if (request !== undefined) {
    const path = request.uri.split(/[?#]/)[0].replace(/[^A-Za-z0-9._~/%-]/g, (c) => encodeURIComponent(c));
    const authority = request.host !== '' ? `http://${request.host}` : withPort('http', host);
    return `${authority}${path.startsWith('/') ? path : '/'}`;
  }
  if (session !== undefined) return `${withPort('https', session.sni)}/`;
  if (port === 80 || port === 8080) return `${withPort('http', host)}/`;
  if (port === 443 || port === 8443) return `${withPort('https', host)}/`;
  return null;
}
