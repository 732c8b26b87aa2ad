/**
 * One ClickHouse client over several replicas: each call goes to the replica that last answered
 * and, when that one cannot be reached (connection refused or reset, unknown host, timeout) or
 * cannot take writes (no ZooKeeper, read-only), to the next. Any other error is the answer. A
 * retried insert is safe: a replicated table drops a block it has already seen (insert
 * deduplication) and every table collapses replayed rows. A read streams from the replica whose
 * response began; a failure after that is the caller's, as with one node.
 */
import type { ClickHouseClient } from '@clickhouse/client';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
// 18.16's codes for a replica that cannot write now: NO_ZOOKEEPER, TABLE_IS_READ_ONLY, KEEPER_EXCEPTION.
const REPLICA_UNAVAILABLE = /^Code: (225|242|999)[.,]/;

/** Whether an error says this replica is out of reach (try another), not that the query failed. */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { code } = err as NodeJS.ErrnoException;
  if (code !== undefined && UNREACHABLE.has(code)) return true;
  if (err instanceof AggregateError && err.errors.some(isUnreachable)) return true;
  if (err.cause !== undefined && isUnreachable(err.cause)) return true;
  return /^Timeout error|socket hang up/.test(err.message) || REPLICA_UNAVAILABLE.test(err.message);
}

type Method = 'query' | 'command' | 'exec' | 'insert' | 'ping';
const FAILOVER: ReadonlySet<string | symbol> = new Set<Method>(['query', 'command', 'exec', 'insert', 'ping']);

/** A ClickHouseClient that is `clients` in turn; `close` closes them all. */
export function failoverClient(clients: ClickHouseClient[], onSwitch?: (to: number) => void): ClickHouseClient {
  const [first] = clients;
  if (first === undefined) throw new Error('failoverClient needs at least one client');
  let current = 0;
  const call = async (method: Method, args: unknown[]): Promise<unknown> => {
    let last: unknown;
    for (let i = 0; i < clients.length; i++) {
      const index = (current + i) % clients.length;
      const client = clients[index] as unknown as Record<Method, (...a: unknown[]) => Promise<unknown>>;
      try {
        const result = await client[method](...args);
        // ping answers { success: false } instead of throwing.
        const failed = method === 'ping' && (result as { success: boolean }).success === false;
        if (failed && isUnreachable((result as { error: unknown }).error) && i < clients.length - 1) continue;
        if (index !== current) onSwitch?.(index);
        current = index;
        return result;
      } catch (err) {
        if (!isUnreachable(err)) throw err;
        last = err;
      }
    }
    throw last;
  };
  return new Proxy(first, {
    get(target, prop, receiver) {
      if (prop === 'close') return async () => void (await Promise.all(clients.map((c) => c.close())));
      if (FAILOVER.has(prop)) return (...args: unknown[]) => call(prop as Method, args);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
