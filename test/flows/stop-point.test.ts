import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import type { FlowSummary } from '../../src/analysis/analysis-types.js';

const M = (dir: string, name: string) => resolve(import.meta.dirname, '..', 'fixtures', 'matrix', dir, name);

async function tcpFlows(path: string): Promise<FlowSummary[]> {
  const [a] = await analyzeFile(path, { allFlows: true });
  return a.flows.filter((f) => f.proto === 'tcp');
}

/** The stop point of the one conversation to the given server port. */
async function stopOf(path: string, port: number) {
  const flows = (await tcpFlows(path)).filter((f) => f.resp.endsWith(`:${port}`));
  return flows.map((f) => f.stop?.at);
}

describe('where a conversation stopped', () => {
  it('a SYN dropped by a firewall: never answered; refused by the server: refused', async () => {
    expect(await stopOf(M('tcp', 'syn-drop-v4-client.pcap'), 8443)).toContain('never_answered');
    expect(await stopOf(M('tcp', 'refused-closed-v4-client.pcap'), 8444)).toContain('refused');
  });

  it('an answer that never came: silent after the request; a stateful ECN black hole: stalled mid-transfer', async () => {
    expect(await stopOf(M('app', 'http-noresp-close-v4-client.pcap'), 8080)).toEqual(['silent_after_request']);
    expect(await stopOf(M('path', 'ect-stateful-resp-v4-server.pcap'), 8080)).toEqual(['stalled_mid_transfer']);
  });

  it('a client that resets mid-download closed early; a healthy download completed', async () => {
    expect(await stopOf(M('app', 'tls-abort-mid-rst-v4-server.pcap'), 443)).toEqual(['closed_early_by_client']);
    expect(await stopOf(M('path', 'nearmiss-ecn-ok-v4-client.pcap'), 8080)).toEqual(['completed']);
  });

  it('vouches for the side captured on its own host (initial TTL unreduced), not for the far side', async () => {
    const [atClient] = (await tcpFlows(M('path', 'nearmiss-ecn-ok-v4-client.pcap'))).filter((f) => f.resp.endsWith(':8080'));
    expect(atClient.stop?.vouches).toEqual({ client: true, server: false });
    const [atServer] = (await tcpFlows(M('path', 'nearmiss-ecn-ok-v4-server.pcap'))).filter((f) => f.resp.endsWith(':8080'));
    expect(atServer.stop?.vouches).toEqual({ client: false, server: true });
  });
});
