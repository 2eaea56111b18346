import type { SummaryCatalog } from './messages.js';
import { listZh, sideZh } from './words-zh.js';

/*
 * One table of every summary sentence, in Chinese, from the same facts as summaries-en.ts (long by
 * nature, as its twin). Commands stay as typed, in `code` spans; protocol names and fields stay as
 * engineers write them (SYN, RST, ACK, ECN, ECT, MTU, MSS, PTR, NXDOMAIN, ServerHello).
 */
const upTo3 = (items: readonly string[]) => items.slice(0, 3);
const RETRANSMISSION_CAUSE = {
  pmtud: '路径报告了更小的 MTU（ICMP 需要分片），发送方改用更小的报文段重发了数据：这是路径 MTU 发现在正常工作，不是丢包。',
  spurious: '大多是伪重传：发送方重传得太早，或者 ACK 回来得晚或丢了。',
  loss: '报文段在路径上丢失（链路质量差、队列拥塞或限速设备）。',
} as const;

export const SUMMARIES_ZH = {
  'capture.truncated_file': (f) => `抓包文件在一条记录的中间就结束了${f.frame > 0 ? `（断在第 ${f.frame} 帧）` : ''}，通常是复制或上传时被截断；分析覆盖了之前完整的 ${f.packets} 帧。`,
  'capture.snaplen_truncated': (f) =>
    `抓包时每帧最多只保存 ${f.snaplenBytes} 字节，${f.bytes} 字节中有 ${f.missingBytes} 字节没有保存下来${f.cutHeaders ? `，${f.cutHeaders} 个协议头被截断` : ''}。TCP 分析不受影响，但 TLS 证书、DNS 应答和 HTTP 头可能不完整：请用完整的截断长度重新抓包（\`tcpdump -s 0\`）。`,
  'capture.state_limits_hit': (f) => `达到了分析的记录上限（${listZh(f.limits)}）：部分流或交互只被计数，没有被跟踪。请用 \`--host\` 或 \`--port\` 缩小分析范围。`,
  'capture.duplicate_frames': (f) =>
    `${f.connections} 个连接中有 ${f.frames} 帧与前一帧完全相同（IP ID 和 TCP 字段都一样）。Wireshark 会把它们标为重传或重复 ACK；其实它们是抓包产生的副本（SPAN 端口同时镜像了两个方向，或 pktmon 在多个组件上抓包），这里已将其剔除。只在一个点抓包即可避免。`,
  'capture.one_direction_only': (f) =>
    `${f.connections} 个连接中有 ${f.oneSided} 个只有单向的包：抓包点只看到了一条路径（非对称路由、单向镜像或过滤器）。关于丢包和时延的结论需要双向流量：请在主机本身上抓包，或镜像两个方向。`,
  'capture.drops_suspected': (f) =>
    `${f.interfaceDrops > 0 ? `抓包接口报告丢弃了 ${f.interfaceDrops} 个包。` : ''}${f.ackedUnseen > 0 ? `有 ${f.ackedUnseen} 个 ACK 确认了抓包中从未出现的数据。` : ''}${f.missedSynAcks > 0 ? `${f.missedSynAcks} 个连接在抓包中没有 SYN-ACK 却继续进行，而服务器的 ACK 确认了 SYN。` : ''}抓包主机或镜像端口跟不上流量，所以抓包中缺失的报文段不一定是在网络上丢失的${f.faultLike ? '，看似缺失的响应其实已经发出' : ''}。请使用抓包过滤器或更大的缓冲区抓包（\`tcpdump -B\`）。`,
  'tcp.syn_unanswered': (f) =>
    `发往 ${f.server} 的 ${f.connections} 次连接尝试（共 ${f.syns} 个 SYN）在长达 ${f.waitMs} ms 内没有得到任何应答：既没有 SYN-ACK，也没有 RST。有设备在悄悄丢弃 SYN（防火墙、安全组，或者服务器整台主机都已宕机）。请用 \`Test-NetConnection\` / \`nc -vz\` 检查路径，并检查该端口的防火墙规则。`,
  'tcp.syn_rejected.reset': (f) =>
    `发往 ${f.server} 的 ${f.connections} 次连接尝试被 RST 拒绝：该端口上没有程序监听，或者防火墙代为应答。请确认服务正在运行并监听这个地址（\`netstat -ano | findstr :PORT\`，\`ss -ltnp\`）。`,
  'tcp.syn_rejected.icmp': (f) =>
    `发往 ${f.server} 的 ${f.connections} 次连接尝试被 ${f.from} 以 ICMP${f.ipv6 ? 'v6' : ''} 目标不可达拒绝（type ${f.icmpType} code ${f.icmpCode}，第 ${f.frame} 帧）：${f.atServer ? '服务器上' : '途中'}防火墙的拒绝规则，或者没有路由。请检查两台主机之间该端口的防火墙规则（\`Test-NetConnection ${f.host} -Port ${f.port}\` / \`nc -vz\`）。`,
  'tcp.syn_retransmit_delay': (f) =>
    `到 ${f.server} 的 ${f.connections} 个连接在重发 SYN 之后才建立，比第一次尝试晚了 ${f.worstMs} ms：最初的 SYN 丢失或被忽略了。每丢一个 SYN 就要等一个完整的重传超时（1 秒或更长）；请排查路径上的丢包或限速，或者监听方过载（SYN backlog）。`,
  'tcp.handshake_slow': (f) =>
    `与 ${f.server} 的 ${f.handshakes} 次握手从 SYN 到 SYN-ACK 最长用了 ${f.worstMs} ms，而抓包中各连接的中位数是 ${f.medianMs.toFixed(1)} ms。服务器的监听方接受连接慢（backlog 已满、主机负载高），或者路径上有设备扣住了 SYN。`,
  'tcp.port_reuse_fast': (f) =>
    `到 ${f.server} 的 ${f.connections} 个连接在同一组端口上的前一个连接结束后 ${f.gapMs} ms 内就复用了客户端端口（TIME_WAIT 至少持续 ${f.timeWaitS} 秒）。客户端的临时端口不够用，或者绑定了固定端口；仍保留着旧连接的服务器会错误地应答这样的 SYN。`,
  'tcp.syn_answered_by_stale_ack': (f) =>
    `发往 ${f.server} 的 SYN 收到的是一个普通 ACK（第 ${f.frame} 帧），而不是 SYN-ACK：服务器仍保留着同一组端口上的前一个连接。客户端必须发 RST 后重试，这要耽误一秒或更久。客户端复用端口太快：请检查临时端口范围和 TIME_WAIT 设置。`,
  'tcp.ephemeral_range_pressure': (f) =>
    `${f.client} 在 ${f.spanS.toFixed(1)} 秒内向 ${f.server} 建立了 ${f.connections} 个连接（每秒 ${f.perSecond} 个），用了 ${f.lowestPort} 到 ${f.highestPort} 之间的 ${f.ports} 个不同端口${f.reused > 0 ? `，其中 ${f.reused} 个被再次使用` : ''}。它在轮番消耗临时端口范围：范围用完后，新连接就会失败（\`EADDRNOTAVAIL\` / \`WSAENOBUFS\`）。请复用连接（keep-alive、连接池）或扩大端口范围：\`netsh int ipv4 show dynamicport tcp\` / \`sysctl net.ipv4.ip_local_port_range\`。`,
  'tcp.retransmission_rate': (f) =>
    `${f.percent.toFixed(1)}% 的数据被重发（${f.uniqueBytes} 字节中的 ${f.retransmittedBytes} 字节）：${f.retransmissions} 次重传，${f.fast} 次快速重传（收到重复 ACK 之后），${f.spurious} 次伪重传（数据其实已经到达）。${RETRANSMISSION_CAUSE[f.cause]}请与另一端的抓包对比，找出报文段在哪里消失。`,
  'tcp.rto_stall': (f) =>
    `${sideZh(f.side)}有 ${f.stallMs} ms 没有发送任何数据，随后进行了重传（第 ${f.frame} 帧）：它的重传定时器超时了，因为它的数据和对应的 ACK 都没能送达。${f.fullSizeOnly ? '丢失的只是它满长度的报文段（见 tcp.pmtud_blackhole）。' : '用户会感觉卡住了；请排查突发丢包、黑洞（MTU、ECN）或过载的中间设备。'}`,
  'tcp.zero_window': (f) =>
    `接收方的窗口 ${f.zeroWindows} 次降到零，发送方发出了 ${f.probes} 个零窗口探测：接收端应用读取套接字不够快（忙、阻塞或缓冲区太小）。请检查接收端进程，而不是网络。`,
  'tcp.window_limited': (f) =>
    `发送方 ${f.windowFull} 次填满了接收方通告的窗口，只能等待窗口再打开${f.noScaling && f.handshakeSeen ? '：没有协商窗口缩放（window scaling），窗口不能超过 64 KB' : ''}。吞吐量上限为窗口 / 往返时间；请调大接收方的缓冲区（自动调优），或${f.noScaling ? '启用窗口缩放' : '检查接收端应用'}。`,
  'tcp.rst_abort': (f) =>
    `${sideZh(f.side)}在传输了 ${f.bytes} 字节之后重置了一个已建立的连接（第 ${f.frame} 帧）。应用会有意发送 RST（异常关闭），中间设备也会重置空闲连接；如果这并非预期，请查看${sideZh(f.side)}在那个时间点的日志。`,
  'tcp.keepalive_dead_peer': (f) =>
    `${f.probes} 个保活探测没有得到应答${f.answeredFrame > 0 ? `（之前的探测有应答，最后一次在第 ${f.answeredFrame} 帧）` : ''}${f.reset ? '，随后连接被重置' : ''}：对端已经不在（崩溃、重启），或者防火墙把这个空闲连接从连接表中删掉了。应用下一次发送时就会遇到 RST；请把保活间隔调到防火墙的空闲超时以下。`,
  'tcp.ecn_negotiation': (f) =>
    `${f.requested} 个连接在 SYN 中请求了 ECN，其中 ${f.accepted} 个被服务器接受。只要每一跳都放行，ECN 并无害处；丢弃带 ECN 标记包的中间设备会让这些连接失败（\`netsh int tcp show global\` / \`sysctl net.ipv4.tcp_ecn\`）。`,
  'tcp.ecn_syn_blackhole.fallback': (f) =>
    `发往 ${f.server} 的 ${f.ecnSyns} 个请求 ECN 的 SYN（ECE+CWR）没有应答；不带 ECN 标志的 SYN（第 ${f.plainFrame} 帧）则立即得到了应答。路径上有设备丢弃请求 ECN 的 SYN，每个连接因此耽误 ${f.delayMs} ms。请找到该设备（防火墙或负载均衡器）并修复，或者让这台主机不再请求 ECN：\`netsh int tcp set global ecncapability=disabled\` / \`sysctl -w net.ipv4.tcp_ecn=2\`。`,
  'tcp.ecn_syn_blackhole.no_fallback': (f) =>
    `到 ${f.server} 的 ${f.connections} 个连接只发送了请求 ECN 的 SYN（ECE+CWR，共 ${f.ecnSyns} 个），始终没有应答，而发往同一服务器、不带 ECN 的 SYN 立即得到了应答（第 ${f.plainFrame} 帧）。路径上有设备丢弃请求 ECN 的 SYN，而这台主机不会回退为不带 ECN 的 SYN。请在这台主机上禁用 ECN（\`netsh int tcp set global ecncapability=disabled\` / \`sysctl -w net.ipv4.tcp_ecn=0\`），或修复该设备。`,
  'tcp.ecn_synack_blackhole': (f) =>
    `服务器接受了 ECN，并把它的 SYN-ACK（带 ECE）发送了 ${f.sent} 次${f.acked ? '，客户端最后才确认' : '，客户端始终没有确认'}：两者之间有设备丢弃带 ECN 的 SYN-ACK。请在请求 ECN 的主机上禁用 ECN（\`netsh int tcp set global ecncapability=disabled\` / \`sysctl -w net.ipv4.tcp_ecn=2\`），或修复该中间设备。`,
  'tcp.ect_data_blackhole.stateless': (f) =>
    `双方协商了 ECN，但${sideZh(f.side)}的 ${f.ectSegments} 个带 ECT 标记的数据报文段没有一个得到确认，而它不带标记的 ${f.retransmissions} 次重传却送到了。路径上有设备丢弃带 ECT 标记的包：每次传输都只能一次次等超时，缓慢推进。请修复该设备，或在这台主机上禁用 ECN：\`netsh int tcp set global ecncapability=disabled\`（Windows Server 2012 默认启用 ECN）/ \`sysctl -w net.ipv4.tcp_ecn=0\`。`,
  'tcp.ect_data_blackhole.stateful': (f) =>
    `双方协商了 ECN，在${sideZh(f.side)}第一个带 ECT 标记的数据报文段（第 ${f.frame} 帧）之前一切都能送到；这个报文段及其后全部 ${f.retransmissions} 次重传（包括不带标记的）都没有得到确认。有状态的中间设备一旦看到 ECT 标记就丢弃整条流（RFC 3168 6.1.5）。请在请求 ECN 的主机上禁用 ECN（\`netsh int tcp set global ecncapability=disabled\` / \`sysctl -w net.ipv4.tcp_ecn=0\`）后重试，然后找出该设备。`,
  'tcp.ect_data_blackhole.receiver': (f) =>
    `双方协商了 ECN，但${sideZh(f.side)}的数据没有一个带着 ECT 标记到达：只有不带标记的报文段，而且之前出现了 ${f.gaps} 处缺口。启用 ECN 时，发送方会给新数据打上标记，重传则不带标记，所以带标记的原始报文段在途中被丢弃了。请修复丢弃 ECT 标记包的设备，或在发送方禁用 ECN：\`netsh int tcp set global ecncapability=disabled\` / \`sysctl -w net.ipv4.tcp_ecn=2\`。`,
  'tcp.pmtud_blackhole.icmp': (f) =>
    `${f.from} 报告了 ${f.messages} 次：从 ${f.src} 到 ${f.dst} 的包对它的下一跳来说太大（MTU ${f.mtu}）。${f.adapted ? '发送方减小了报文段大小，传输得以继续：路径 MTU 发现在这里是正常的。如果同一路径上其他主机卡住，说明这些 ICMP 消息在到达它们之前被过滤了。' : '发送方收到后减小报文段大小，路径 MTU 发现才能起作用；如果这些消息在任何地方被过滤，连接就会卡住。'}请用 \`ping -f -l ${f.mtu - 28} ${f.dst}\`（Windows）/ \`ping -M do -s ${f.mtu - 28} ${f.dst}\`（Linux）检查。`,
  'tcp.pmtud_blackhole.sender': (f) =>
    `${sideZh(f.side)}把满长度的 ${f.size} 字节报文段重发了 ${f.retransmits} 次，${sideZh(f.side === 'client' ? 'server' : 'client')}的确认号一直没有前进，而在此之前较小的包都送到了：某一跳的 MTU 较小，丢弃了这些包，而且没有收到“需要分片”消息。请降低这条路径上的 MTU/MSS（\`netsh interface ipv4 set subinterface "NAME" mtu=1400\` / \`ip link set dev IF mtu 1400\`），或在防火墙上放行 ICMP type 3 code 4。`,
  'tcp.pmtud_blackhole.probed': (f) =>
    `${sideZh(f.side)}把满长度的 ${f.size} 字节报文段重发了 ${f.retransmits} 次都没有得到确认，停顿了 ${f.stallMs} ms，随后改用 ${f.after} 字节的报文段继续发送，这些都送到了：某一跳的 MTU 较小，会丢弃满长度的包，而它的“需要分片”消息始终没有到达；发送方是靠探测发现的，每个新连接都要付出这次停顿的代价。请放行 ICMP type 3 code 4 / ICMPv6 Packet Too Big，或降低这条路径上的 MTU/MSS。`,
  'tcp.pmtud_blackhole.small_after_stall': (f) =>
    `${sideZh(f.side)}的数据中断了 ${f.stallMs} ms，之后只以 ${f.size} 字节的报文段到达，而允许的是 ${f.mss} 字节：它满长度的报文段在途中丢失，只好改用更小的报文段（MTU 探测，或迟到的“需要分片”消息）。某一跳的 MTU 较小；请在${sideZh(f.side)}上抓包，查看丢失的报文段。`,
  'tcp.pmtud_blackhole.gap': (f) =>
    `从${sideZh(f.side)}到达的报文段最大只有 ${f.size} 字节，而允许的是 ${f.mss} 字节，并且最后一个报文段之前的缺口始终没有补上：满长度的报文段在途中被丢弃。某一跳的 MTU 较小，且“需要分片”消息丢失了；请在${sideZh(f.side)}上抓包确认。`,
  'dns.no_response': (f) =>
    `发往 ${f.server} 的 ${f.queries} 个 DNS 查询没有应答${f.names.length === 0 ? '' : `（${listZh(upTo3(f.names))}${f.more ? ' 等' : ''}）`}，客户端重试或等待了数秒。服务器宕机、不可达，或有防火墙丢弃 DNS；每次查询都要等到客户端的重试超时。请用 \`nslookup NAME ${f.lookupServer}\` / \`dig @SERVER NAME\` 测试。`,
  'dns.slow_response': (f) =>
    `${f.server} 有 ${f.answers} 个 DNS 应答超过了 ${f.thresholdMs} ms（最慢 ${f.worstMs} ms${f.retried ? '，客户端不得不重新查询' : ''}）。所有需要解析名称的操作都要等这么久；请检查该服务器的转发器和负载。`,
  'dns.error_rcode': (f) =>
    `${f.server} 对 ${f.queries} 个查询返回了 ${f.rcodeName}（${listZh(upTo3(f.names))}${f.more ? ' 等' : ''}）。${f.serious ? `${f.rcodeName} 表示服务器无法或拒绝解析：请检查它的转发器、DNSSEC 或访问规则。` : 'NXDOMAIN 表示该名称不存在；只有当应用确实需要这个名称时才是问题。'}`,
  'dns.ptr_lookup_stall': (f) =>
    `${f.host} 向 DNS 查询 ${f.peer} 的名称（反向查询，第 ${f.queryFrame} 帧），${f.outcome === 'none' ? '没有得到应答' : `${f.answerMs} ms 后得到${f.outcome === 'answer' ? '应答' : '错误'}`}，直到 ${f.waitMs} ms 后才向 ${f.peer} 发出下一个包（第 ${f.nextFrame} 帧）${f.nbnsQueries ? `，期间还发出了 ${f.nbnsQueries} 个 NetBIOS 查询` : ''}。${f.host} 上的应用在应答前要先解析客户端的地址（SQL Server 登录、某些 Web 服务器和 SMTP 会这样做）。请为 ${f.peer} 添加 PTR 记录或 hosts 条目，或在应用中关闭这项查询。`,
  'dns.single_label_to_dns': (f) =>
    `${f.client} 向 DNS 查询裸名称“${f.name}”，${f.nxdomain ? '得到 NXDOMAIN' : '没有得到应答'}：DNS 中没有这样的顶级名称。客户端本意是一个短主机名，应当加上它的 DNS 后缀（网卡的 DNS 后缀、后缀搜索列表），或者使用 FQDN。`,
  'dns.suffix_search_exhaustion': (f) =>
    `${f.client} 查询短名称“${f.short}”，每种形式都失败了：${listZh([f.short, ...f.suffixes.map((s) => `${f.short}.${s}`)])}。它的 DNS 后缀搜索列表是（${listZh(f.suffixes)}），而包含“${f.short}”的区域不在其中。${f.resolvedAs ? `这个名称以 ${f.resolvedAs} 的形式可以解析：它的后缀“${f.resolvedSuffix}”不在列表中。` : ''}请添加正确的后缀（网卡的“高级 TCP/IP 设置 > DNS”，或 \`Set-DnsClientGlobalSetting -SuffixSearchList\`；Linux 上是 /etc/resolv.conf 的 search 行），然后执行 \`ipconfig /flushdns\`，或者使用 FQDN。`,
  'name.fallback_llmnr_nbns': (f) =>
    `DNS 失败后，客户端通过 ${f.protocols.join(' 和 ')} 在本地网络中查询 ${listZh(upTo3(f.names))}。Windows 会这样回退；这会增加延迟，而且网段上任何主机都可以应答。请修好 DNS 名称，并考虑禁用 LLMNR 和 TCP/IP 上的 NetBIOS。`,
  'nbns.node_status_probe.server': (f) =>
    `在对 ${f.peer} 的反向 DNS 查询失败期间，${f.host} 发出了 ${f.queries} 个 NetBIOS 名称查询（在 Windows 上 getnameinfo 会回退到 NetBIOS 节点状态查询），对端为等它的应答等了 ${f.waitMs} ms。请为 ${f.peer} 添加 PTR 记录，或在 ${f.host} 上禁用 TCP/IP 上的 NetBIOS。`,
  'nbns.node_status_probe.client': (f) =>
    `${f.client} 等待应答的 ${f.waitMs} ms 里，${f.server} 向它发送了 ${f.queries} 个 NetBIOS 节点状态查询（第 ${f.frame} 帧）：服务器在应答前试图查出客户端的名称（反向 DNS 查询失败后，Windows 回退到 NetBIOS）。请为 ${f.client} 添加 PTR 记录，或在服务器的应用中关闭这项查询。`,
  'tls.alert_fatal.client_certificate': (f) =>
    `服务器${f.sni ? ` ${f.sni} ` : ''}要求客户端证书（第 ${f.requestFrame} 帧），客户端${f.emptyCertificate ? `发送了一个空的 Certificate 消息（第 ${f.certFrame} 帧）` : '没有发送证书'}；随后服务器以致命告警 ${f.alert} 结束了握手（第 ${f.frame} 帧）。该服务要求客户端证书（双向 TLS）：请在客户端安装一张服务器信任的证书，并确认客户端会出示它（\`openssl s_client -cert client.pem -key client.key\`；在 Windows 上，证书必须连同私钥放在用户或计算机的个人证书存储中）。`,
  'tls.alert_fatal': (f) =>
    `${sideZh(f.side)}以致命告警 ${f.alert} 结束了${f.sni ? `与 ${f.sni} 的 ` : ' '}TLS 握手（第 ${f.frame} 帧）。${f.certificate ? `${sideZh(f.side)}不接受对方的证书：请检查服务器发送的证书链和客户端的信任存储（\`openssl s_client -connect HOST:443 -servername NAME -showcerts\`）。` : '双方无法就连接参数达成一致：请对比双方各自支持的版本和加密套件。'}`,
  'tls.client_abort_after_server_flight': (f) =>
    `客户端在收到服务器的 ServerHello${f.certificates ? ` 和 ${f.certificates} 张证书` : ''} 之后立即${f.reset ? '重置' : '关闭'}了连接（第 ${f.frame} 帧），既没有完成握手，也没有说明原因。客户端无法验证证书链或不接受协商的参数时会这样做；请用 \`openssl s_client -connect ${f.server} -servername ${f.sni || 'NAME'} -showcerts\` 测试。`,
  'tls.client_abort_mid_transfer': (f) =>
    `${f.sni ? `与 ${f.sni} 的 ` : ''}TLS 握手已经完成，服务器已发送 ${f.serverBytes} 字节，客户端却在服务器仍在发送时${f.reset ? '重置' : '关闭'}了连接（第 ${f.frame} 帧）。客户端应用放弃了下载（IIS 日志记为 200.0.995，WSA_OPERATION_ABORTED）。客户端较晚才拒绝证书，或者达到了自身的超时，就会这样做；原始案例是通过更换证书解决的。`,
  'tls.cert_chain_incomplete': (f) =>
    `服务器发送了 ${f.certificates} 张证书，最后一张（“${f.subject}”）既不是 CA 证书也不是自签名证书：${f.issuerInChain ? `它的签发者是“${f.issuer}”` : `它的签发者“${f.issuer}”不在证书链中`}。${f.rejected ? '客户端回复说，它无法建立到受信任 CA 的证书链。' : '如果该签发者是客户端信任的根证书，这没有问题；如果它是中间 CA，那就是缺了中间证书。'}桌面浏览器常会自行获取缺失的中间证书；Android 和许多其他客户端不会，而是直接中止。请在服务器上安装中间证书，让它发送完整的证书链。`,
  'tls.cert_validity': (f) => {
    const problems = f.dates.map((d) => (d.expired ? `“${d.subject}”已于 ${d.date} 过期` : `“${d.subject}”要到 ${d.date} 才生效`));
    if (f.nameMismatch) problems.push(`证书中没有 ${f.sni}（它包含的是 ${listZh(upTo3(f.names))}）`);
    return `按抓包时的时间，${problems.join('；')}。会检查证书的客户端（除非特意关闭，否则都会检查）会拒绝连接。请续期或更换 ${f.server} 上的证书。`;
  },
  'tls.version_or_cipher_mismatch': (f) =>
    `客户端提供了 ${f.versions.map((v) => `0x${v.toString(16)}`).join('、') || '它支持的版本'} 和 ${f.cipherSuites} 个加密套件，服务器${f.alert ? `以 ${f.alert} 告警作答` : '没有发送 ServerHello 就关闭了连接'}：双方没有共同的 TLS 版本或加密套件。请对比双方各自允许的设置（Windows 上的 SCHANNEL 注册表项；用 \`openssl s_client -tls1_2\` / \`-tls1_3\` 探测）。`,
  'app.first_request_penalty': (f) =>
    `对 ${f.server} 的第一个请求用了 ${f.firstMs} ms，之后的请求大约 ${f.typicalMs} ms。有些事只在第一次发生：应用程序池或缓存冷启动，首次连接时的反向查询或登录。请查看服务器空闲后处理第一个请求时做了什么（IIS 空闲超时、连接池、名称解析）。`,
  'app.server_think_time': (f) =>
    `到 ${f.server} 的往返时间是 ${f.rttMs.toFixed(1)} ms，而服务器最长用了 ${f.worstMs} ms 才应答（${upTo3(f.requests).join('；')}）：时间花在服务器应用上，而不是网络上。`,
  'http.error_status': (f) =>
    `${f.server} 对 ${f.responses} 个请求返回了 ${listZh(f.statuses)}（${upTo3(f.requests).join('；')}）。${f.serverError ? '服务器出错：原因在它的应用日志里。' : '客户端错误：URL 错误、缺少凭据或请求被拒绝。'}`,
  'http.no_response': (f) =>
    `发往 ${f.server} 的 ${f.requests} 个请求在连接${f.ending === 'closed' ? '关闭' : f.ending === 'reset' ? '被重置' : '在抓包中结束'}之前没有得到响应（${upTo3(f.examples).join('；')}）。服务器或代理放弃了这些请求，或者抓包停得太早。`,
  'http.slow_response': (f) =>
    `${f.server} 有 ${f.responses} 个响应在请求之后超过 ${f.thresholdMs} ms 才到（最慢 ${f.worstMs} ms）。网络已经送达了请求；时间花在服务器上（它的应用、数据库或它发起的查询）。`,
} satisfies SummaryCatalog;
