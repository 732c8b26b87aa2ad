/**
 * Long work on the event loop in bounded slices: between two slices the loop turns, so other
 * requests' I/O and timers run. This is how a 10,000-item body is parsed and validated without
 * holding up anyone else (docs/ingest.md, "One caller cannot stall the others").
 *
 * Slices of all requests take turns in one queue, one slice per turn of the loop: with three
 * large bodies in flight a small request waits for one slice per turn, not three, and each
 * large body gets its share.
 */

// 2 ms per slice: a small request takes a handful of turns (body, Redis, Kafka, reply), so
// slices add about 10 ms to it; shorter slices would spend more on the turns themselves.
export const SLICE_MS = 2;

const waiting: Array<() => void> = [];
let turnScheduled = false;

function runTurn(): void {
  turnScheduled = false;
  waiting.shift()?.();
  // The resumed slice runs in the microtasks after this callback; the next one waits a turn.
  if (waiting.length > 0) scheduleTurn();
}

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(runTurn);
}

/** Waits for this caller's next slice: after every other waiting slice has had one turn. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    scheduleTurn();
  });
}

/** A clock for one slice: `spent()` says when the slice has used its time. */
export class SliceClock {
  private start = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  spent(): boolean {
    return performance.now() - this.start > this.sliceMs;
  }

  /** Waits for the next turn, then starts a new slice. (Callers check spent() first: no await per item.) */
  async next(): Promise<void> {
    await nextTurn();
    this.start = performance.now();
  }
}

/** `items.map(fn)` in slices of about SLICE_MS. */
export async function mapInSlices<T, U>(items: readonly T[], fn: (item: T) => U, sliceMs = SLICE_MS): Promise<U[]> {
  const out: U[] = [];
  const clock = new SliceClock(sliceMs);
  for (const item of items) {
    out.push(fn(item));
    if (clock.spent()) await clock.next();
  }
  return out;
}
