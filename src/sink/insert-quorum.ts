/**
 * The sink's inserts on a cluster: insert_quorum = every replica (2), so an insert is
 * acknowledged only once each replica holds it. The sink writes a window's counts before its
 * windows_closed row (clickhouse-writer.ts), so a reader on either replica that sees a window
 * closed finds its counts, and a replica lost with its disk loses no acknowledged row. With a
 * replica down the quorum cannot be met: the insert fails as an outage and the sink retries the
 * batch until the replica is back (docs/cluster-clickhouse.md). One node: no settings.
 */
import type { ClickHouseSettings } from '@clickhouse/client';
import type { Config } from '../shared/config.ts';

/** Below the client's 30 s request timeout, so the server's answer arrives first. */
export const QUORUM_TIMEOUT_MS = 20_000;

export function insertQuorumSettings(config: Config): ClickHouseSettings | undefined {
  const n = config.clickhouse.replicas.length;
  if (n === 0) return undefined;
  return { insert_quorum: String(n), insert_quorum_timeout: QUORUM_TIMEOUT_MS };
}
