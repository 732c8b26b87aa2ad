/**
 * What the Flink job writes to `pipeline_out` (one topic, so a checkpoint's window counts,
 * window-closed markers and late clicks commit in one Kafka transaction). See docs/messages.md.
 */
import { z } from 'zod';
import type { Config } from './config.ts';

const dateTime = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

export const windowCountSchema = z.object({
  kind: z.literal('count'),
  ad_id: z.string(),
  window_start: dateTime,
  window_end: dateTime,
  clicks: z.number().int().nonnegative(),
});
export const windowClosedSchema = z.object({ kind: z.literal('closed'), window_start: dateTime, window_end: dateTime });
export const lateClickSchema = z.object({
  kind: z.literal('late'),
  ad_id: z.string(),
  click_id: z.string(),
  campaign_id: z.string().nullable(),
  user_id: z.string(),
  ts: z.number().int(),
  watermark_ts: z.string(),
});
export const pipelineMessageSchema = z.discriminatedUnion('kind', [windowCountSchema, windowClosedSchema, lateClickSchema]);
export type PipelineMessage = z.infer<typeof pipelineMessageSchema>;

export function pipelineOutTopic(config: Config): string {
  return `${config.kafka.topicPrefix}pipeline_out`;
}
