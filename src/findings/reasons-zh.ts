import type { FindingCode } from './catalog.js';
import type { ReasonId } from './reasons.js';
import { sideZh } from './words-zh.js';
import { TITLES_ZH } from './titles-zh.js';

type Facts = Record<string, string | number>;
const n = (f: Facts, k: string) => Number(f[k] ?? 0);
const side = (f: Facts) => sideZh(String(f.side));

/** Chinese sentences for every reason id, from the same facts as REASONS_EN (the compiler checks none is missing). */
export const REASONS_ZH = {
  'ecn.ect_never_acked_unmarked_through': (f) =>
    `双方协商了 ECN，但${side(f)}发出的 ${n(f, 'ectSegments')} 个带 ECT 标记的数据报文段没有一个得到确认，而它不带标记的 ${n(f, 'plainRetransmits')} 次重传却送到了（从第 ${f.frame} 帧起）：路径上有设备丢弃带 ECT 标记的包。`,
  'ecn.first_ect_then_silence': (f) =>
    `双方协商了 ECN，${side(f)}第一个带 ECT 标记的数据报文段（第 ${f.frame} 帧）之前的一切都送到了；这个报文段和其后全部 ${n(f, 'plainRetransmits')} 次不带标记的重传都没有得到确认：某个中间设备从第一个带 ECT 标记的包起丢弃了整条流。`,
  'ecn.peer_data_never_marked': (f) => `${side(f)}同意使用 ECN，但它的 ${n(f, 'segments')} 个数据报文段没有一个带着 ECT 标记到达：到达这个抓包点的只有不带标记的重传。`,
  'ecn.plain_syn_same_server_answered': (f) => `发往 ${f.server} 的 ${n(f, 'ecnSyns')} 个请求 ECN 的 SYN 没有应答（从第 ${f.frame} 帧起），而发往同一服务器、不带 ECN 的 SYN 得到了应答（第 ${f.plainFrame} 帧）。`,
  'pmtu.full_size_lost_small_through': (f) => `${side(f)}满长度的 ${f.size} 字节报文段重发了 ${n(f, 'retransmits')} 次都没有得到确认，而它较小的包都送到了：丢包与包的大小有关。`,
  'pmtu.recovered_with_smaller_segments': (f) =>
    `${side(f)}的 ${f.size} 字节报文段重传 ${n(f, 'retransmits')} 次未获确认后，改用 ${f.after} 字节的报文段继续发送，这些都送到了：它自己探测出了更小的路径 MTU（MTU 探测），代价是停顿了 ${f.stallMs} ms。`,
  'pmtu.icmp_after_stall': (f) =>
    `来自 ${f.from} 的“数据包过大”消息（MTU ${f.mtu}）直到${side(f)}把满长度的报文段重发了 ${n(f, 'retransmits')} 次之后才到（停顿了 ${f.stallMs} ms）：发送方调整之前，这个 MTU 较小的一跳已经让连接耽误了时间。`,
  'pmtu.small_segments_after_stall': (f) => `${side(f)}的数据中断了 ${f.stallMs} ms，之后只以 ${f.size} 字节的报文段到达（第 ${f.frame} 帧），而对方允许的是 ${f.mss} 字节：它满长度的报文段在途中丢失，只好改用更小的报文段。`,
  'tls.client_certificate_missing': (f) =>
    `服务器要求客户端证书（第 ${f.requestFrame} 帧），客户端${n(f, 'certFrame') > 0 ? `回了一个空的 Certificate 消息（第 ${f.certFrame} 帧）` : '没有发送证书'}；随后服务器以 ${f.alert} 告警结束了握手（第 ${f.frame} 帧）：这是双向 TLS，必须有客户端证书。`,
  'tcp.handshake_slow_absolute': (f) => `SYN-ACK 在 SYN（第 ${f.frame} 帧）之后 ${f.ms} ms 才到，超过了 ${f.bound} ms，而任何网络路径都用不了这么久${n(f, 'handshakes') === 1 ? '；这是抓包中唯一的一次握手，没有别的握手可以比较' : ''}。`,
  'capture.missed_server_data': (f) => `客户端确认了抓包中从未出现的服务器数据（${n(f, 'acks')} 个 ACK）：响应很可能已经发出，只是抓包没抓到，而不是在网络上丢失。`,
  'capture.missed_synack': (f) => `${n(f, 'connections')} 个连接在 SYN（第 ${f.frame} 帧）之后继续进行，抓包中却没有 SYN-ACK，而服务器的 ACK 确认了这个 SYN：是抓包漏掉了 SYN-ACK，握手本身是成功的。`,
  'tls.issuer_is_root': (f) => `服务器只发送了它自己的证书，签发者是“${f.issuer}”，从名称看是根证书：信任这个根的客户端不需要更多证书，而且客户端也没有对证书链提出异议。`,
  'ruled_out.pmtu_small_segments_lost': (f) => `不是路径 MTU 问题：小报文段也丢了（${f.size} 字节，第 ${f.frame} 帧）。`,
  'ruled_out.random_loss_all_lost': (f) => `不是随机丢包：从那一刻起的全部 ${n(f, 'lost')} 次重传都丢了，而在那之前的一切都送到了。`,
  'ruled_out.random_loss_size_dependent': () => `不是随机丢包：丢的只是最大的报文段，小报文段一直都能送到。`,
  'ruled_out.ecn_not_negotiated': () => `不是 ECN 问题：这个连接没有协商 ECN。`,
  'ruled_out.path_down_plain_packets_pass': (f) => `不是路径中断：不带 ECN 标记的包一直能送到（第 ${f.frame} 帧）。`,
  'next.disable_ecn_and_retry': () => `在请求 ECN 的主机上禁用 ECN（\`netsh int tcp set global ecncapability=disabled\` / \`sysctl -w net.ipv4.tcp_ecn=0\`）后重试：如果恢复正常，再去找丢弃 ECN 标记包的设备。`,
  'next.ping_df_size': (f) => `向 ${f.peer} 发送满长度、禁止分片的 ping 来确认（Windows 上 \`ping -f -l 1472\`，Linux 上 \`ping -M do -s 1472\`），再逐步减小，找出路径 MTU。`,
  'next.capture_at_sender': (f) => `也在${side(f)}上抓包：这个抓包点看不到它的包是否已经发出。`,
  'symptom.explained_by': (f) => `这是同一连接上“${TITLES_ZH[f.code as FindingCode] ?? f.code}”（${f.code}）的症状，后者解释了它。`,
} satisfies Record<ReasonId, (facts: Facts) => string>;
