/**
 * The path of a batch, in one place: parse -> validate -> decide -> produce -> reply.
 * Bad input stays a value all the way through (an invalid item's result); only a fault of
 * Redis or Kafka throws, as UnavailableError, which becomes a 503 with nothing accepted.
 */
import { clickIdOf, isCleanText, validateClick, type Click, type ClickOutcome } from '../shared/click.ts';
import { orUnavailable } from '../shared/errors.ts';
import { receiveClock } from '../shared/event-time.ts';
import { clickRecord, type OutgoingRecord, type Topics } from '../shared/messages.ts';
import type { DecidedVerdict, Verdict } from '../shared/verdict.ts';
import type { AddressLimit } from '../dedup/address.ts';
import { decideVerdicts } from '../dedup/decide.ts';
import type { Decision, VerdictStore, WrittenClick } from '../dedup/store.ts';
import type { InFlight } from './in-flight.ts';
import type { IngestMetrics } from './metrics.ts';
import type { RequestLimits } from './body/limits.ts';
import { parseBody, type MediaType } from './body/parse-body.ts';
import { mapInSlices } from './body/slices.ts';
import type { RecordProducer } from './producer.ts';
import type { WrittenMarks } from './written-marks.ts';

export interface PipelineDeps {
  store: VerdictStore;
  producer: RecordProducer;
  topics: Topics;
  metrics: IngestMetrics;
  inFlight: InFlight;
  written: WrittenMarks;
  windowMs: number;
  /** The dedup horizon in ms: older clicks are invalid ("too old"). */
  horizonMs: number;
  /** An anonymous caller's address group and limits (address.ts). */
  addressLimit: (ip: string) => AddressLimit;
  now: () => number;
}

/** Who sent the batch, as the route established it. */
export interface Sender {
  ip: string;
  userAgent: string;
  /** A caller with an ingest key: its body's ip, user_agent and campaign_id are honoured. */
  trusted: boolean;
  /** The campaigns the key's clicks may name (Caller.campaigns); undefined: any. */
  campaigns?: readonly string[] | undefined;
  /** The namespace of its click_ids and user_ids: the ingest key's sender; null = anonymous. */
  sender: string | null;
  /** The X-Sent-At header, if any. */
  sentAt: string | undefined;
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

export async function ingestBatch(
  deps: PipelineDeps,
  body: string,
  media: MediaType,
  sender: Sender,
  limits: Pick<RequestLimits, 'maxClicks' | 'tooLarge'>,
): Promise<BatchOutcome> {
  const receivedAt = deps.now();
  const done = deps.inFlight.begin(receivedAt);
  try {
    // Parse and validate yield between slices (body/slices.ts): a large batch never holds up another request.
    const parsed = await deps.metrics.time('parse', () => parseBody(body, media, limits.maxClicks, limits.tooLarge));
    if (!parsed.ok) return parsed;
    deps.metrics.batchSize.observe(parsed.items.length);
    const context = {
      ip: sender.ip,
      userAgent: sender.userAgent,
      userAgentClean: isCleanText(sender.userAgent),
      trusted: sender.trusted,
      campaigns: sender.campaigns,
      sender: sender.sender,
      clock: receiveClock(receivedAt, sender.sentAt, deps.horizonMs),
    };
    const checked = await deps.metrics.time('validate', () =>
      mapInSlices(parsed.items, (item) => validateClick(item, context)),
    );
    const clicks = checked.flatMap((c) => (c.ok ? [c.click] : []));
    const verdicts = await decideAndProduce(deps, clicks, receivedAt);
    deps.metrics.clicks.inc({ verdict: 'invalid' }, checked.length - clicks.length);
    return { ok: true, reply: buildReply(parsed.items, checked, verdicts) };
  } finally {
    done();
  }
}

/**
 * Decides valid clicks and writes each one the store says to produce to Kafka (a resend with
 * its first event time), resolving once all are acknowledged. Also the path of link clicks
 * and of the spool drain, whose receivedAt is null: a link click's ts is its arrival.
 */
export async function decideAndProduce(
  deps: PipelineDeps,
  clicks: readonly Click[],
  receivedAt: number | null,
): Promise<DecidedVerdict[]> {
  const arrival = { windowMs: deps.windowMs, receivedAt, addressLimit: deps.addressLimit };
  const decisions = await deps.metrics.time('redis', () =>
    orUnavailable('redis', () => decideVerdicts(deps.store, clicks, arrival)),
  );
  const ingestedAt = deps.now();
  const records: OutgoingRecord[] = [];
  const produced: WrittenClick[] = [];
  clicks.forEach((c, i) => {
    const d = decisionAt(decisions, i);
    if (!d.produce) return;
    records.push(clickRecord(deps.topics, c, d.verdict, ingestedAt, d));
    produced.push({ sender: c.sender, clickId: c.click_id });
  });
  await deps.metrics.time('kafka', () => orUnavailable('kafka', () => deps.producer.send(records)));
  deps.written.mark(produced);
  const verdicts = decisions.map((d) => d.verdict);
  deps.metrics.countVerdicts(verdicts);
  deps.metrics.countRateLimits(decisions);
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
    const status = verdicts[next++];
    if (status === undefined) throw new Error(`verdict store answered ${verdicts.length} verdicts, needed more`);
    if (status === 'accepted') reply.accepted++;
    else reply.rejected++;
    reply.results.push({ click_id: c.click.click_id, status });
  });
  return reply;
}

/** The store promises one decision per click; a short answer is a fault, never a default. */
function decisionAt(decisions: readonly Decision[], i: number): Decision {
  const d = decisions[i];
  if (d === undefined) throw new Error(`verdict store answered ${decisions.length} decisions, needed more than ${i}`);
  return d;
}
