/**
 * The Kafka message format (documented in docs/messages.md). Values are JSON with a schema
 * version `v`; consumers must ignore `kind: "heartbeat"` for counting and use it only to move
 * event time. The schemas below are the format: the encoders are typed by them, and
 * `decodeMessage` checks a consumed value against them.
 */
import { z } from 'zod';
import { clickSchema, type Click } from './click.ts';
import type { DecidedVerdict, RejectedVerdict } from './verdict.ts';

/**
 * v2 added `client_ts` (the ts as sent; `ts` became the earlier of it and the receive time).
 * v3 added `sender`: click_ids are scoped to their sender (docs/messages.md, "Schema version").
 * v4 changed the record, not the message: a record of clicks holds a JSON array of messages,
 * one partition's share of a produce call (`src/ingest/record-batches.ts`).
 */
export const MESSAGE_VERSION = 4;

/**
 * `sender` of a click sent by an anonymous caller (they share one namespace). Not null: Flink's
 * JSON format reads null and absent alike, and absent means the unscoped namespace of the
 * records written before v3. A sender name is never `*`.
 */
export const ANONYMOUS_SENDER = '*';

const clickFields = {
  v: z.literal(MESSAGE_VERSION),
  ...clickSchema.omit({ sender: true }).shape,
  ingested_at: z.number().int(),
  /**
   * The sender's name, or ANONYMOUS_SENDER. Absent: the unscoped namespace (a record written
   * before v3, or the resend of a click decided before the upgrade: see `Decided.unscoped`).
   */
  sender: z.string().min(1).optional(),
};

export const clickMessageSchema = z.object({ ...clickFields, kind: z.literal('click') });
export const rejectedMessageSchema = z.object({
  ...clickFields,
  kind: z.literal('rejected'),
  verdict: z.enum(REJECTED_VERDICTS),
});
export const heartbeatMessageSchema = z.object({
  v: z.literal(MESSAGE_VERSION),
  kind: z.literal('heartbeat'),
  ts: z.number().int(),
});
export const messageSchema = z.discriminatedUnion('kind', [
  clickMessageSchema,
  rejectedMessageSchema,
  heartbeatMessageSchema,
]);

/**
 * Values of earlier versions still in a topic after an upgrade, read as v4. v1's ts was the
 * client's, so client_ts = ts. v1 and v2 name no sender: their clicks stay in the unscoped
 * namespace (no `sender`), which is how the job reads them too. A v3 message has v4's fields.
 */
const olderSchema = z
  .object({ v: z.union([z.literal(1), z.literal(2), z.literal(3)]), ts: z.number().int() })
  .passthrough()
  .transform((m) => ({
    ...m,
    v: MESSAGE_VERSION,
    ...(m.v === 1 && m.kind !== 'heartbeat' ? { client_ts: m.ts } : {}),
  }));

export type ClickMessage = z.infer<typeof clickMessageSchema>;
export type RejectedMessage = z.infer<typeof rejectedMessageSchema>;
export type HeartbeatMessage = z.infer<typeof heartbeatMessageSchema>;
export type Message = z.infer<typeof messageSchema>;

/** One record ready for the producer: topic, key (null for heartbeats), JSON value. */
export interface OutgoingRecord {
  topic: string;
  partition?: number;
  key: string | null;
  value: string;
}

import type { Topics } from './names.ts';
import { REJECTED_VERDICTS } from './verdict.ts';
export type { Topics };

export { topicNames } from './names.ts';

/** The `sender` field of a click's record, with its comma; empty for the unscoped namespace. */
function senderJson(c: Click, decided: Decided): string {
  if (decided.unscoped === true) return '';
  return `"sender":${JSON.stringify(c.sender ?? ANONYMOUS_SENDER)},`;
}

/**
 * The JSON of a click message, concatenated: the same bytes as JSON.stringify of the typed
 * message (v, the click's fields, ingested_at, sender, kind[, verdict], in that order; the test
 * checks), without building the object, which cost about a tenth of the ingest's CPU per click.
 */
function clickJson(c: Click, decided: Decided, ingestedAt: number, tail: string): string {
  const campaign = decided.campaignId === null ? 'null' : JSON.stringify(decided.campaignId);
  return (
    `{"v":${MESSAGE_VERSION},"click_id":${JSON.stringify(c.click_id)},"ad_id":${JSON.stringify(c.ad_id)},` +
    `"user_id":${JSON.stringify(c.user_id)},"ts":${decided.ts},"client_ts":${c.client_ts},"ip":${JSON.stringify(c.ip)},` +
    `"user_agent":${JSON.stringify(c.user_agent)},"campaign_id":${campaign},"ingested_at":${ingestedAt},` +
    `${senderJson(c, decided)}${tail}}`
  );
}

const CLICK_TAIL = `"kind":${JSON.stringify('click' satisfies ClickMessage['kind'])}`;
const rejectedTail = (verdict: RejectedMessage['verdict']) =>
  `"kind":${JSON.stringify('rejected' satisfies RejectedMessage['kind'])},"verdict":${JSON.stringify(verdict)}`;

/** What the verdict store decided beyond the verdict: the first event time, and the campaign. */
export interface Decided {
  ts: number;
  campaignId: string | null;
  /**
   * The verdict memory found the click among the unscoped entries of before v3 (a resend within
   * one horizon of the upgrade): its record names no sender, like its first copy, so the engine
   * counts the two copies once.
   */
  unscoped?: boolean;
}

/**
 * The record for a decided click: accepted to `clicks`, the rest to `clicks_rejected`. Key =
 * click_id. `decided` defaults to the click's own ts and campaign_id.
 */
export function clickRecord(
  topics: Topics,
  click: Click,
  verdict: DecidedVerdict,
  ingestedAt: number,
  decided: Decided = { ts: click.ts, campaignId: click.campaign_id },
): OutgoingRecord {
  if (verdict === 'accepted')
    return { topic: topics.clicks, key: click.click_id, value: clickJson(click, decided, ingestedAt, CLICK_TAIL) };
  const tail = rejectedTail(verdict satisfies RejectedVerdict);
  return { topic: topics.rejected, key: click.click_id, value: clickJson(click, decided, ingestedAt, tail) };
}

/**
 * One heartbeat per partition of `clicks`, keyless, each sent to its partition explicitly.
 * `eventTimeMs` is min(now, oldest in-flight receive time): see heartbeats.ts.
 */
export function heartbeatRecords(topics: Topics, partitions: number[], eventTimeMs: number): OutgoingRecord[] {
  const msg: HeartbeatMessage = { v: MESSAGE_VERSION, kind: 'heartbeat', ts: eventTimeMs };
  const value = JSON.stringify(msg);
  return partitions.map((partition) => ({ topic: topics.clicks, partition, key: null, value }));
}

export type DecodeOutcome = { ok: true; message: Message } | { ok: false; error: string };

/** Checks a consumed value against the format; a bad value is a typed outcome, not an exception. */
export function decodeMessage(value: Buffer | string | null): DecodeOutcome {
  const json = parseValue(value);
  return json.ok ? checkMessage(json.value) : json;
}

/**
 * The messages of one consumed record, one outcome each: a v4 writer's record of clicks holds a
 * JSON array of messages, every older record (and every heartbeat) a single one.
 */
export function decodeRecord(value: Buffer | string | null): DecodeOutcome[] {
  const json = parseValue(value);
  if (!json.ok) return [json];
  return Array.isArray(json.value) ? json.value.map(checkMessage) : [checkMessage(json.value)];
}

function parseValue(value: Buffer | string | null): { ok: true; value: unknown } | { ok: false; error: string } {
  if (value === null) return { ok: false, error: 'empty value' };
  try {
    return { ok: true, value: JSON.parse(value.toString()) as unknown };
  } catch {
    return { ok: false, error: 'not JSON' };
  }
}

function checkMessage(json: unknown): DecodeOutcome {
  const upgraded = olderSchema.safeParse(json);
  const parsed = messageSchema.safeParse(upgraded.success ? upgraded.data : json);
  return parsed.success
    ? { ok: true, message: parsed.data }
    : { ok: false, error: parsed.error.issues[0]?.message ?? 'bad message' };
}
