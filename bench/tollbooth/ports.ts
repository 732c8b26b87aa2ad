/**
 * The ports of the bench's own ingest, sink and stats API: free ones, never the defaults, so a
 * bench runs beside a running `npm start` (whose processes hold 8080, 8090, 8091 and 5433).
 * bench/tollbooth/ports.test.ts checks that every listening port of those sections is here.
 */
import { closedPort } from '../support/ports.ts';

export async function processPorts(): Promise<Record<string, string>> {
  const names = ['INGEST_PORT', 'API_PORT', 'PG_PORT', 'SINK_PORT'];
  const env: Record<string, string> = {};
  const taken = new Set<number>();
  for (const name of names) {
    let port = await closedPort();
    // The OS may hand the same released port out twice in a row.
    while (taken.has(port)) port = await closedPort();
    taken.add(port);
    env[`TOLLBOOTH_${name}`] = String(port);
  }
  return env;
}
