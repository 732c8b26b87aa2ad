/**
 * Reads a request body under three bounds: the caller's byte limit (413), the bytes all
 * requests hold at once (503, see budget.ts) and a deadline for the whole body (408). A body
 * that breaks one stops being read and its bytes go back at once; none of it is accepted.
 */
import type { Readable } from 'node:stream';
import type { BodyBudget } from './budget.ts';

export interface BodyBounds {
  maxBytes: number;
  /** Said with a 413: names the limits that apply to this caller. */
  tooLarge: string;
  budget: BodyBudget;
  timeoutMs: number;
}

export type BodyRefusal = { ok: false; status: 400 | 408 | 413 | 503; error: string };

/** A body read whole; `release` gives its bytes back to the budget (call it once the batch is done). */
export type BodyOutcome = { ok: true; text: string; release: () => void } | BodyRefusal;

const overCap = 'the ingest holds too many request bodies at once: nothing was accepted; resend shortly';

export function readBody(
  payload: Readable,
  declaredLength: number | undefined,
  bounds: BodyBounds,
): Promise<BodyOutcome> {
  const { maxBytes, budget } = bounds;
  if (declaredLength !== undefined && declaredLength > maxBytes)
    return Promise.resolve({ ok: false, status: 413, error: bounds.tooLarge });
  // Refused before a byte is read when the declared body cannot fit; chunks are counted anyway.
  if (declaredLength !== undefined && budget.held + declaredLength > budget.capBytes)
    return Promise.resolve({ ok: false, status: 503, error: overCap });
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let held = 0;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      budget.release(held);
      chunks = [];
    };
    const stop = () => {
      clearTimeout(timer);
      payload.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
    };
    const refuse = (status: BodyRefusal['status'], error: string) => {
      stop();
      release();
      resolve({ ok: false, status, error });
    };
    const onData = (chunk: Buffer) => {
      if (held + chunk.length > maxBytes) return refuse(413, bounds.tooLarge);
      if (!budget.take(chunk.length)) return refuse(503, overCap);
      held += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      const text = Buffer.concat(chunks, held).toString('utf8');
      chunks = [];
      resolve({ ok: true, text, release });
    };
    // The client went away before its body ended: nobody waits for an answer.
    const onGone = () => refuse(400, 'the request body ended early');
    const timer = setTimeout(
      () => refuse(408, `the request body did not arrive within ${bounds.timeoutMs / 1000} s: nothing was accepted`),
      bounds.timeoutMs,
    );
    payload.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}
