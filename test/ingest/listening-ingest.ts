/**
 * A test file's ingest on a real socket, over the real Redis and Kafka: started before its
 * tests with topics of its own prefix, stopped and cleaned up after them. (Apart from
 * harness.ts, which the bench imports too and so must not load vitest.)
 */
import { afterAll, beforeAll } from 'vitest';
import { BROWSER, cleanUp, listenLocally, setUpTopics, startTestIngest, testEnv, type TestIngest } from './harness.ts';

export interface ListeningIngest {
  readonly ingest: TestIngest;
  /** http://127.0.0.1:<port> */
  readonly base: string;
}

export function useListeningIngest(area: string): ListeningIngest {
  let ingest: TestIngest | undefined;
  let base = '';
  beforeAll(async () => {
    ingest = await startTestIngest(await testEnv(area));
    await setUpTopics(ingest.config);
    base = await listenLocally(ingest);
  });
  afterAll(async () => {
    await ingest?.close();
    if (ingest) await cleanUp(ingest.config);
  });
  return {
    get ingest() {
      if (ingest === undefined) throw new Error('the ingest starts in beforeAll');
      return ingest;
    },
    get base() {
      return base;
    },
  };
}

/** A valid click from a browser, with a user of its own. */
export const goodClick = (id: string, ts: number) => ({
  click_id: id,
  ad_id: 'ad1',
  user_id: `user-${id}`,
  ts,
  user_agent: BROWSER,
});
