/**
 * The path of a batch, in one place: parse -> validate -> decide -> produce -> reply.
 * Bad input stays a value all the way through (an invalid item's result); only a fault of
 * Redis or Kafka throws, as UnavailableError, which becomes a 503 with nothing accepted.
 */
import { clickIdOf, validateClick, type Click, type ClickDefaults, type ClickOutcome } from '../shared/click.ts';
import { orUnavailable } from '../shared/errors.ts';
import { clickRecord, type Topics } from '../shared/messages.ts';
import type { DecidedVerdict, Verdict } from '../shared/verdict.ts';
import { decideVerdicts } from '../dedup/decide.ts';
import type { VerdictStore } from '../dedup/store.ts';
import type { IngestMetrics } from './metrics.ts';
import { parseBody, type MediaType } from './parse-body.ts';
import type { RecordSink } from './producer.ts';

export interface PipelineDeps {
  store: VerdictStore;
  sink: RecordSink;
  topics: Topics;
  metrics: IngestMetrics;
  windowMs: number;
  maxClicksPerRequest: number;
  now: () => number;
}

export interface ItemResult {
  click_id: string | null;
  status: Verdict;
  error?: string;
}

export interface BatchReply {
  accepted: number;
  rejected: number;
  invalid: number;
  results: ItemResult[];
}

export type BatchOutcome = { ok: true; reply: BatchReply } | { ok: false; status: 400 | 413; error: string };

export async function ingestBatch(deps: PipelineDeps, body: string, media: MediaType, defaults: ClickDefaults): Promise<BatchOutcome> {
  const parsed = await deps.metrics.time('parse', () => parseBody(body, media, deps.maxClicksPerRequest));
  if (!parsed.ok) return parsed;
  deps.metrics.batchSize.observe(parsed.items.length);
  const now = deps.now();
  const checked = await deps.metrics.time('validate', () => parsed.items.map((item) => validateClick(item, defaults, now)));
  const clicks = checked.flatMap((c) => (c.ok ? [c.click] : []));
  const verdicts = await decideAndProduce(deps, clicks);
  deps.metrics.clicks.inc({ verdict: 'invalid' }, checked.length - clicks.length);
  return { ok: true, reply: buildReply(parsed.items, checked, verdicts) };
}

/**
 * Decides valid clicks and writes every decided one to Kafka, resolving once all are
 * acknowledged. Also the path of link clicks and of the spool drain.
 */
export async function decideAndProduce(deps: PipelineDeps, clicks: readonly Click[]): Promise<DecidedVerdict[]> {
  const verdicts = await deps.metrics.time('redis', () => orUnavailable('redis', () => decideVerdicts(deps.store, clicks, deps.windowMs)));
  const ingestedAt = deps.now();
  const records = clicks.map((c, i) => clickRecord(deps.topics, c, verdictAt(verdicts, i), ingestedAt));
  await deps.metrics.time('kafka', () => orUnavailable('kafka', () => deps.sink.send(records)));
  deps.metrics.countVerdicts(verdicts);
  return verdicts;
}

function buildReply(items: unknown[], checked: ClickOutcome[], verdicts: DecidedVerdict[]): BatchReply {
  const reply: BatchReply = { accepted: 0, rejected: 0, invalid: 0, results: [] };
  let next = 0;
  checked.forEach((c, i) => {
    if (!c.ok) {
      reply.invalid++;
      reply.results.push({ click_id: clickIdOf(items[i]), status: 'invalid', error: c.error });
      return;
    }
    const status = verdictAt(verdicts, next++);
    if (status === 'accepted') reply.accepted++;
    else reply.rejected++;
    reply.results.push({ click_id: c.click.click_id, status });
  });
  return reply;
}

/** The store promises one verdict per click; a short answer is a fault, never a default. */
function verdictAt(verdicts: readonly DecidedVerdict[], i: number): DecidedVerdict {
  const v = verdicts[i];
  if (v === undefined) throw new Error(`verdict store answered ${verdicts.length} verdicts, needed more than ${i}`);
  return v;
}
