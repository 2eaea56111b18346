import type { SummaryCatalog } from './messages.js';
import { plural } from './words-en.js';

/*
 * One table of every summary sentence, in English: long by nature (a sentence per message id), so
 * it stays one file beside its Chinese twin rather than a file per check. These are the words
 * analysis stores as a finding's `summary`; the Chinese catalog renders the same facts.
 */
const was = (n: number) => (n === 1 ? 'was' : 'were');
const upTo3 = (items: readonly string[]) => items.slice(0, 3);

export const SUMMARIES_EN = {
  'capture.truncated_file': (f) => `${f.warning}. Usually the copy or upload was cut short; analysis covers the ${f.packets} whole frames.`,
  'capture.snaplen_truncated': (f) =>
    `The capture kept at most ${f.snaplenBytes} bytes of each frame, so ${f.missingBytes} of ${f.bytes} bytes were not saved${f.cutHeaders ? ` and ${plural(f.cutHeaders, 'header')} ${was(f.cutHeaders)} cut` : ''}. TCP analysis is unaffected, but TLS certificates, DNS answers and HTTP headers may be incomplete: capture again with a full snapshot length (tcpdump -s 0).`,
  'capture.state_limits_hit': (f) => `Analysis limits were reached (${f.limits.join(', ')}): some flows or exchanges were counted but not followed. Narrow the analysis with --host or --port.`,
  'capture.duplicate_frames': (f) =>
    `${plural(f.frames, 'frame')} in ${plural(f.connections, 'connection')} repeat the previous frame exactly (same IP id and TCP fields). Wireshark labels them retransmissions or duplicate ACKs; they are copies made by the capture (a SPAN port mirroring both directions, or pktmon capturing at several components) and are set aside here. Capture at one point to avoid them.`,
  'capture.one_direction_only': (f) =>
    `${f.oneSided} of ${f.connections} connections show packets in one direction only: the capture point sees one path (asymmetric routing, a one-way mirror, or a filter). Conclusions about loss and timing need both directions: capture on the host itself or mirror both directions.`,
  'capture.drops_suspected': (f) =>
    `${f.interfaceDrops > 0 ? `The capture interfaces report ${f.interfaceDrops} dropped packets. ` : ''}${f.ackedUnseen > 0 ? `${plural(f.ackedUnseen, 'ACK')} acknowledge data the capture never saw. ` : ''}${f.missedSynAcks > 0 ? `${plural(f.missedSynAcks, 'connection')} went on without a SYN-ACK in the capture, though the server's ACKs acknowledge the SYN. ` : ''}The capturing host or mirror port could not keep up, so missing segments are not necessarily lost on the network${f.faultLike ? ', and what looks like a missing answer was sent' : ''}. Capture with a capture filter or a bigger buffer (tcpdump -B).`,
  'tcp.syn_unanswered': (f) =>
    `${plural(f.connections, 'connection attempt')} to ${f.server} (${plural(f.syns, 'SYN')}) got no answer at all for up to ${f.waitMs} ms: no SYN-ACK, no reset. Something drops the SYNs silently (a firewall, a security group, a server that is down without its host). Check the path with Test-NetConnection / nc -vz, and the firewall rules for this port.`,
  'tcp.syn_rejected.reset': (f) =>
    `${plural(f.connections, 'connection attempt')} to ${f.server} ${was(f.connections)} refused with a reset: nothing listens on that port, or a firewall answers for it. Check that the service runs and listens on this address (netstat -ano | findstr :PORT, ss -ltnp).`,
  'tcp.syn_rejected.icmp': (f) =>
    `${plural(f.connections, 'connection attempt')} to ${f.server} ${was(f.connections)} refused by ${f.from} with an ICMP${f.ipv6 ? 'v6' : ''} destination unreachable (type ${f.icmpType} code ${f.icmpCode}, frame ${f.frame}): a firewall's reject rule${f.atServer ? ' on the server' : ' on the way'}, or no route. Check the firewall rules for this port between the two hosts (Test-NetConnection ${f.host} -Port ${f.port} / nc -vz).`,
  'tcp.syn_retransmit_delay': (f) =>
    `${plural(f.connections, 'connection')} to ${f.server} opened only after the SYN was sent again, ${f.worstMs} ms after the first try: the first SYNs were lost or ignored. One lost SYN costs a full retransmission timeout (1 s or more); look for loss or a rate limit on the path, or an overloaded listener (SYN backlog).`,
  'tcp.handshake_slow': (f) =>
    `${plural(f.handshakes, 'handshake')} with ${f.server} took up to ${f.worstMs} ms from SYN to SYN-ACK, against a median of ${f.medianMs.toFixed(1)} ms for the capture's connections. The server's listener is slow to accept (a full backlog, a loaded host) or a device on the path holds SYNs.`,
  'tcp.port_reuse_fast': (f) =>
    `${plural(f.connections, 'connection')} to ${f.server} reused a client port within ${f.gapMs} ms of the previous connection on the same ports (TIME_WAIT lasts ${f.timeWaitS} s or more). The client is short of ephemeral ports or binds fixed ports; a server still holding the old connection answers such SYNs wrongly.`,
  'tcp.syn_answered_by_stale_ack': (f) =>
    `The SYN to ${f.server} was answered by a plain ACK (frame ${f.frame}) instead of a SYN-ACK: the server still holds the previous connection on the same ports. The client must reset and retry, which costs a second or more. The client reuses ports too soon: see the ephemeral port range and TIME_WAIT settings.`,
  'tcp.ephemeral_range_pressure': (f) =>
    `${f.client} opened ${f.connections} connections to ${f.server} in ${f.spanS.toFixed(1)} s (${f.perSecond}/s) from ${f.ports} distinct ports between ${f.lowestPort} and ${f.highestPort}${f.reused > 0 ? `, using ${f.reused} of them again` : ''}. It is cycling through its ephemeral port range: when the range runs out, new connections fail (EADDRNOTAVAIL / WSAENOBUFS). Reuse connections (keep-alive, pooling) or widen the range: netsh int ipv4 show dynamicport tcp / sysctl net.ipv4.ip_local_port_range.`,
  'tcp.retransmission_rate': (f) =>
    `${f.percent.toFixed(1)}% of the data was sent again (${f.retransmittedBytes} of ${f.uniqueBytes} bytes): ${f.retransmissions} retransmissions, ${f.fast} fast (after duplicate ACKs) and ${f.spurious} spurious (the data had already arrived). ${
      f.cause === 'pmtud'
        ? 'The path reported a smaller MTU (ICMP fragmentation needed) and the sender resent its data in smaller segments: path MTU discovery at work, not loss.'
        : f.cause === 'spurious'
          ? 'Mostly spurious: the sender retransmits too early, or ACKs come back late or are lost.'
          : 'Segments are lost on the path (a lossy link, a congested queue, a rate limiter).'
    } Compare with a capture at the other end to find where they disappear.`,
  'tcp.rto_stall': (f) =>
    `The ${f.side} sent nothing for ${f.stallMs} ms and then retransmitted (frame ${f.frame}): its retransmission timer expired because neither its data nor the ACKs for it got through. ${f.fullSizeOnly ? 'Only its full-size segments are lost (see tcp.pmtud_blackhole).' : 'Users see this as a hang; look for loss bursts, a black hole (MTU, ECN) or an overloaded middlebox.'}`,
  'tcp.zero_window': (f) =>
    `The receiver's window went to zero ${plural(f.zeroWindows, 'time')} and the sender sent ${plural(f.probes, 'zero-window probe')}: the receiving application is not reading its socket fast enough (busy, blocked, or too small a buffer). Look at the receiving process, not the network.`,
  'tcp.window_limited': (f) =>
    `The sender filled the receiver's advertised window ${plural(f.windowFull, 'time')} and had to wait for it to open${f.noScaling && f.handshakeSeen ? ': window scaling was not negotiated, so the window cannot exceed 64 KB' : ''}. Throughput is capped at window / round-trip time; raise the receiver's buffer (autotuning) or ${f.noScaling ? 'enable window scaling' : 'check the receiving application'}.`,
  'tcp.rst_abort': (f) =>
    `The ${f.side} reset an established connection (frame ${f.frame}) after ${f.bytes} bytes. Applications reset on purpose (an abortive close) and middleboxes reset idle connections; if it was not expected, look at what the ${f.side} logged at that time.`,
  'tcp.keepalive_dead_peer': (f) =>
    `${plural(f.probes, 'keep-alive')} got no answer${f.answeredFrame > 0 ? ` (earlier ones were answered, the last at frame ${f.answeredFrame})` : ''}${f.reset ? ' and the connection was then reset' : ''}: the peer is gone (crashed, rebooted) or a firewall dropped the idle connection from its table. Applications then see a reset on their next send; shorten keep-alive intervals below the firewall's idle timeout.`,
  'tcp.ecn_negotiation': (f) =>
    `${plural(f.requested, 'connection')} asked for ECN in the SYN; ${f.accepted} ${was(f.accepted)} accepted by the server. ECN is harmless where every hop passes it; a middlebox that drops ECN-marked packets breaks such connections (netsh int tcp show global / sysctl net.ipv4.tcp_ecn).`,
  'tcp.ecn_syn_blackhole.fallback': (f) =>
    `${plural(f.ecnSyns, 'SYN')} asking for ECN (ECE+CWR) to ${f.server} got no answer; the SYN without ECN flags (frame ${f.plainFrame}) was answered at once. Something on the path drops ECN-setup SYNs, costing ${f.delayMs} ms per connection. Find the device (a firewall or load balancer) and fix it, or stop asking for ECN on this host: netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=2.`,
  'tcp.ecn_syn_blackhole.no_fallback': (f) =>
    `${plural(f.connections, 'connection')} to ${f.server} sent only ECN-setup SYNs (ECE+CWR, ${plural(f.ecnSyns, 'SYN')} in all) and never got an answer, while a SYN without ECN to the same server was answered at once (frame ${f.plainFrame}). Something on the path drops ECN-setup SYNs, and this host does not fall back to a SYN without ECN. Disable ECN on this host (netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=0) or fix the device.`,
  'tcp.ecn_synack_blackhole': (f) =>
    `The server accepted ECN and sent its SYN-ACK (with ECE) ${f.sent} times${f.acked ? ' before the client finally acknowledged it' : ' without the client ever acknowledging it'}: something between them drops ECN SYN-ACKs. Disable ECN on the host that asks for it (netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=2) or fix the middlebox.`,
  'tcp.ect_data_blackhole.stateless': (f) =>
    `ECN was negotiated and none of the ${f.side}'s ${plural(f.ectSegments, 'ECT-marked data segment')} was acknowledged, while its ${plural(f.retransmissions, 'retransmission')} without the mark got through. Something on the path drops ECT-marked packets: every transfer crawls from timeout to timeout. Fix the device, or disable ECN on this host: netsh int tcp set global ecncapability=disabled (Windows Server 2012 enables it by default) / sysctl -w net.ipv4.tcp_ecn=0.`,
  'tcp.ect_data_blackhole.stateful': (f) =>
    `ECN was negotiated and everything got through until the ${f.side}'s first ECT-marked data segment (frame ${f.frame}); that segment and all ${plural(f.retransmissions, 'retransmission')} after it, unmarked ones included, were never acknowledged. A stateful middlebox drops the whole flow once it sees an ECT mark (RFC 3168 6.1.5). Disable ECN on the host that asks for it (netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=0) and try again; then find the device.`,
  'tcp.ect_data_blackhole.receiver': (f) =>
    `ECN was negotiated, yet none of the ${f.side}'s data arrived with an ECT mark: only unmarked segments, after ${plural(f.gaps, 'gap')}. Senders mark new data when ECN is on and send retransmissions unmarked, so the marked originals were dropped on the way. Fix the device that drops ECT-marked packets, or disable ECN on the sender: netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=2.`,
  'tcp.pmtud_blackhole.icmp': (f) =>
    `${f.from} reported ${plural(f.messages, 'time')} that packets from ${f.src} to ${f.dst} are too big for its next hop (MTU ${f.mtu}). ${f.adapted ? 'The sender lowered its segment size and the transfer went on: path MTU discovery worked here. If other hosts hang on the same path, these ICMP messages are filtered before they reach them.' : 'Path MTU discovery works when the sender lowers its segment size after this; if these messages are filtered anywhere, the connection hangs instead.'} Check with ping -f -l ${f.mtu - 28} ${f.dst} (Windows) / ping -M do -s ${f.mtu - 28} ${f.dst} (Linux).`,
  'tcp.pmtud_blackhole.sender': (f) =>
    `The ${f.side} resent its full-size ${f.size}-byte segments ${plural(f.retransmits, 'time')} and the ${f.side === 'client' ? 'server' : 'client'}'s acknowledgement never moved, while the smaller packets before them got through: a hop with a smaller MTU drops them and no "fragmentation needed" message arrives. Lower the MTU/MSS on this path (netsh interface ipv4 set subinterface "NAME" mtu=1400 / ip link set dev IF mtu 1400) or let ICMP type 3 code 4 through the firewalls.`,
  'tcp.pmtud_blackhole.probed': (f) =>
    `The ${f.side} resent its full-size ${f.size}-byte segments ${plural(f.retransmits, 'time')} without an acknowledgement, stalled for ${f.stallMs} ms, and then went on with ${f.after}-byte segments, which got through: a hop with a smaller MTU drops full-size packets and its "fragmentation needed" message never arrives; the sender found out by probing, at the cost of the stall, on every new connection. Let ICMP type 3 code 4 / ICMPv6 packet-too-big through, or lower the MTU/MSS on this path.`,
  'tcp.pmtud_blackhole.small_after_stall': (f) =>
    `The ${f.side}'s data stopped for ${f.stallMs} ms and then came only in ${f.size}-byte segments although ${f.mss} bytes were allowed: its full-size segments were lost on the way and it fell back to smaller ones (MTU probing or a late "fragmentation needed"). A hop with a smaller MTU; capture at the ${f.side} to see the lost segments.`,
  'tcp.pmtud_blackhole.gap': (f) =>
    `Only segments of up to ${f.size} bytes arrived from the ${f.side} although ${f.mss} were allowed, and the gap before the last of them never filled: the full-size segments are dropped on the way. A hop with a smaller MTU and a lost "fragmentation needed" message; capture at the ${f.side} to confirm.`,
  'dns.no_response': (f) =>
    `${plural(f.queries, 'DNS query')} to ${f.server} got no answer${f.names.length === 0 ? '' : ` (${upTo3(f.names).join(', ')}${f.more ? ', ...' : ''})`}, retried or waited on for seconds. The server is down, unreachable, or a firewall drops DNS; every lookup waits for the client's retry timeout. Test with nslookup NAME ${f.lookupServer} / dig @SERVER NAME.`,
  'dns.slow_response': (f) =>
    `${plural(f.answers, 'DNS answer')} from ${f.server} took more than ${f.thresholdMs} ms (worst ${f.worstMs} ms${f.retried ? ', after the client had to ask again' : ''}). Everything that resolves names waits this long; check the server's forwarders and load.`,
  'dns.error_rcode': (f) =>
    `${f.server} answered ${f.rcodeName} to ${plural(f.queries, 'query')} (${upTo3(f.names).join(', ')}${f.more ? ', ...' : ''}). ${f.serious ? `${f.rcodeName} means the server could not or would not resolve: check its forwarders, DNSSEC, or its access rules.` : 'NXDOMAIN says the name does not exist; it matters when the application needed it.'}`,
  'dns.ptr_lookup_stall': (f) =>
    `${f.host} asked DNS for the name of ${f.peer} (a reverse lookup, frame ${f.queryFrame}), got ${f.outcome === 'none' ? 'no answer' : `${f.outcome === 'answer' ? 'an answer' : 'an error'} after ${f.answerMs} ms`}, and sent its next packet to ${f.peer} only ${f.waitMs} ms later (frame ${f.nextFrame})${f.nbnsQueries ? `, after ${plural(f.nbnsQueries, 'NetBIOS query')} meanwhile` : ''}. The application on ${f.host} resolves its client's address before answering (SQL Server logins, some web servers and SMTP do). Add a PTR record for ${f.peer}, or a hosts entry, or turn the lookup off in the application.`,
  'dns.single_label_to_dns': (f) =>
    `${f.client} asked DNS for the bare name "${f.name}" and got ${f.nxdomain ? 'NXDOMAIN' : 'no answer'}: DNS has no such top-level name. The client meant a short host name and should append its DNS suffixes (adapter DNS suffix, suffix search list) or use the FQDN.`,
  'dns.suffix_search_exhaustion': (f) =>
    `${f.client} looked up the short name "${f.short}" and every variant failed: ${[f.short, ...f.suffixes.map((s) => `${f.short}.${s}`)].join(', ')}. Its DNS suffix search list is (${f.suffixes.join(', ')}), and the zone that holds "${f.short}" is not in it.${f.resolvedAs ? ` The name does resolve as ${f.resolvedAs}: its suffix "${f.resolvedSuffix}" is missing from the list.` : ''} Add the right suffix (adapter Advanced TCP/IP > DNS, or Set-DnsClientGlobalSetting -SuffixSearchList; search in /etc/resolv.conf), then ipconfig /flushdns, or use the FQDN.`,
  'name.fallback_llmnr_nbns': (f) =>
    `After DNS failed, the client asked the local network by ${f.protocols.join(' and ')} for ${upTo3(f.names).join(', ')}. Windows falls back this way; it adds delay and can be answered by any host on the segment. Fix the DNS name instead, and consider disabling LLMNR and NetBIOS over TCP/IP.`,
  'nbns.node_status_probe.server': (f) =>
    `While its reverse DNS lookup of ${f.peer} failed, ${f.host} sent ${plural(f.queries, 'NetBIOS name query')} (getnameinfo falls back to NetBIOS node status on Windows), and the peer waited ${f.waitMs} ms for its answer. Give ${f.peer} a PTR record, or disable NetBIOS over TCP/IP on ${f.host}.`,
  'nbns.node_status_probe.client': (f) =>
    `While ${f.client} waited ${f.waitMs} ms for its answer, ${f.server} sent it ${plural(f.queries, 'NetBIOS node-status query')} (frame ${f.frame}): the server was trying to find the client's name (a reverse DNS lookup that failed, then the NetBIOS fallback of Windows) before answering. Give ${f.client} a PTR record, or turn the lookup off in the server's application.`,
  'tls.alert_fatal.client_certificate': (f) =>
    `The server${f.sni ? ` ${f.sni}` : ''} asked for a client certificate (frame ${f.requestFrame}) and the client ${f.emptyCertificate ? `sent an empty Certificate message (frame ${f.certFrame})` : 'sent none'}; the server then ended the handshake with a fatal ${f.alert} alert (frame ${f.frame}). The service requires a client certificate (mutual TLS): install one the server trusts on the client, and check that the client offers it (openssl s_client -cert client.pem -key client.key; on Windows the certificate must be in the user's or machine's personal store with its private key).`,
  'tls.alert_fatal': (f) =>
    `The ${f.side} ended the TLS handshake${f.sni ? ` with ${f.sni}` : ''} with a fatal ${f.alert} alert (frame ${f.frame}). ${f.certificate ? `The ${f.side} did not accept the other side's certificate: check the chain the server sends and the trust store of the client (openssl s_client -connect HOST:443 -servername NAME -showcerts).` : 'The two sides could not agree on the connection parameters: compare the versions and cipher suites each offers.'}`,
  'tls.client_abort_after_server_flight': (f) =>
    `The client ${f.reset ? 'reset' : 'closed'} the connection (frame ${f.frame}) right after the server's hello${f.certificates ? ` and its ${plural(f.certificates, 'certificate')}` : ''}, without finishing the handshake or saying why. Clients do this when they cannot validate the certificate chain or do not like the negotiated parameters; test with openssl s_client -connect ${f.server} -servername ${f.sni || 'NAME'} -showcerts.`,
  'tls.client_abort_mid_transfer': (f) =>
    `The TLS handshake${f.sni ? ` with ${f.sni}` : ''} completed and the server had sent ${f.serverBytes} bytes when the client ${f.reset ? 'reset' : 'closed'} the connection (frame ${f.frame}) with the server still sending. The client application gave up on the download (IIS logs it as 200.0.995, WSA_OPERATION_ABORTED). Clients do this when they reject the certificate late or hit their own timeout; the seed case was fixed by replacing the certificate.`,
  'tls.cert_chain_incomplete': (f) =>
    `The server sent ${plural(f.certificates, 'certificate')} and the last one ("${f.subject}") is neither a CA nor self-signed: its issuer "${f.issuer}"${f.issuerInChain ? '' : ' is not in the chain'}. ${f.rejected ? 'The client answered that it could not build a chain to a CA it trusts.' : 'If that issuer is a root the clients trust, this is fine; if it is an intermediate CA, it is missing.'} Browsers on desktops often fetch a missing intermediate themselves; Android and many other clients do not, and abort. Install the intermediate certificate on the server so it sends the full chain.`,
  'tls.cert_validity': (f) => {
    const problems = f.dates.map((d) => (d.expired ? `"${d.subject}" expired on ${d.date}` : `"${d.subject}" is not valid before ${d.date}`));
    if (f.nameMismatch) problems.push(`the certificate does not name ${f.sni} (it names ${upTo3(f.names).join(', ')})`);
    return `At the time of the capture, ${problems.join('; ')}. Clients that check (all of them, unless told not to) refuse the connection. Renew or replace the certificate on ${f.server}.`;
  },
  'tls.version_or_cipher_mismatch': (f) =>
    `The client offered ${f.versions.map((v) => `0x${v.toString(16)}`).join(', ') || 'its versions'} with ${plural(f.cipherSuites, 'cipher suite')} and the server ${f.alert ? `answered with a ${f.alert} alert` : 'closed the connection without a ServerHello'}: they share no TLS version or cipher. Compare what each side allows (SCHANNEL registry keys on Windows, openssl s_client -tls1_2 / -tls1_3 to probe).`,
  'app.first_request_penalty': (f) =>
    `The first request to ${f.server} took ${f.firstMs} ms; the later ones took about ${f.typicalMs} ms. Something happens once: a cold application pool or cache, a reverse lookup or login on first contact. Look at what the server does on the first request after idle (IIS idle timeout, connection pools, name resolution).`,
  'app.server_think_time': (f) =>
    `The round trip to ${f.server} is ${f.rttMs.toFixed(1)} ms, yet the server took up to ${f.worstMs} ms to answer (${upTo3(f.requests).join('; ')}): the time is spent in the server application, not the network.`,
  'http.error_status': (f) =>
    `${f.server} answered ${plural(f.responses, 'request')} with ${f.statuses.join(', ')} (${upTo3(f.requests).join('; ')}). ${f.serverError ? 'The server failed: its application log has the reason.' : 'Client errors: a wrong URL, missing credentials or a denied request.'}`,
  'http.no_response': (f) =>
    `${plural(f.requests, 'request')} to ${f.server} got no response before the connection ${f.ending === 'closed' ? 'closed' : f.ending === 'reset' ? 'was reset' : 'ended in the capture'} (${upTo3(f.examples).join('; ')}). The server or a proxy gave up on them, or the capture stopped too early.`,
  'http.slow_response': (f) =>
    `${plural(f.responses, 'response')} from ${f.server} came more than ${f.thresholdMs} ms after the request (worst ${f.worstMs} ms). The network delivered the request; the time is spent in the server (its application, database or a lookup it makes).`,
} satisfies SummaryCatalog;
