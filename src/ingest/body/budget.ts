/**
 * The body bytes held at once across all requests, capped: a body that would take the total
 * over the cap is refused (503) instead of growing the ingest's memory, and every request
 * gives its bytes back when its body is parsed, refused or abandoned.
 */
export class BodyBudget {
  private heldBytes = 0;

  constructor(
    readonly capBytes: number,
    /** Told the new total on every change (the ingest's gauge). */
    private readonly onChange: (held: number) => void = () => undefined,
  ) {}

  get held(): number {
    return this.heldBytes;
  }

  /** Takes `bytes` if they fit under the cap; false (nothing taken) if they do not. */
  take(bytes: number): boolean {
    if (this.heldBytes + bytes > this.capBytes) return false;
    this.heldBytes += bytes;
    this.onChange(this.heldBytes);
    return true;
  }

  release(bytes: number): void {
    this.heldBytes = Math.max(0, this.heldBytes - bytes);
    this.onChange(this.heldBytes);
  }
}
