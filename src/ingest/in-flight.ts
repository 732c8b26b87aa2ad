/**
 * The receive times of the batches the ingest is still deciding and writing. A heartbeat may
 * not carry a time ahead of the oldest of them, or a slow batch would be made late by its own
 * ingest's heartbeat (docs/ingest.md).
 */
export class InFlight {
  private readonly open = new Map<number, number>();
  private next = 0;

  /** Notes a batch received at `receivedAt`; call the returned function when it is done. */
  begin(receivedAt: number): () => void {
    const id = this.next++;
    this.open.set(id, receivedAt);
    return () => this.open.delete(id);
  }

  /** The time a heartbeat may carry now: min(now, oldest in-flight receive time). */
  heartbeatTime(now: number): number {
    let t = now;
    // Concurrent requests number in the tens: a scan is cheaper than keeping a heap.
    for (const receivedAt of this.open.values()) t = Math.min(t, receivedAt);
    return t;
  }
}
