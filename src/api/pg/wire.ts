/**
 * Framing of what a client sends: the untyped startup packets (length, then body) and then typed
 * messages (type byte, length, body). A length over its cap is refused from the header alone,
 * before a byte of the body is buffered, so a 64 MB "startup packet" costs nothing.
 */

export interface Frame {
  /** The message type; '' for a startup-phase packet. */
  type: string;
  body: Buffer;
}

export interface FrameCaps {
  /** Postgres itself refuses startup packets over 10,000 bytes. */
  maxStartup: number;
  /** Any later message. */
  maxMessage: number;
}

export const DEFAULT_CAPS: FrameCaps = {
  maxStartup: 10_000,
  // 1 MiB: a 64 KiB statement plus its parameter values; Bind messages of real drivers are far smaller.
  maxMessage: 1024 * 1024,
};

type FrameOutcome = { ok: true; frames: Frame[] } | { ok: false; why: string };

export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);
  private typed = false;

  constructor(private readonly caps: FrameCaps = DEFAULT_CAPS) {}

  /** After the startup packet: every later message carries a type byte. */
  startTyped(): void {
    this.typed = true;
  }

  push(chunk: Buffer): FrameOutcome {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const header = this.typed ? 5 : 4;
      if (this.buffered.length < header) break;
      const length = this.buffered.readInt32BE(header - 4);
      const cap = this.typed ? this.caps.maxMessage : this.caps.maxStartup;
      if (length < 4 || length > cap) return { ok: false, why: `message length ${length} outside 4..${cap}` };
      const total = header - 4 + length;
      if (this.buffered.length < total) break;
      frames.push({
        type: this.typed ? String.fromCharCode(this.buffered[0] ?? 0) : '',
        body: this.buffered.subarray(header, total),
      });
      this.buffered = this.buffered.subarray(total);
      // The startup packet may be followed at once by typed messages (the password, pipelining).
      if (!this.typed && frames.length > 0) return { ok: true, frames };
    }
    return { ok: true, frames };
  }
}

/** Reads the fields of a message body in order; a read past the end throws (a protocol violation). */
export class BodyReader {
  private at = 0;
  constructor(private readonly body: Buffer) {}

  int16(): number {
    const v = this.body.readInt16BE(this.at);
    this.at += 2;
    return v;
  }

  int32(): number {
    const v = this.body.readInt32BE(this.at);
    this.at += 4;
    return v;
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.at);
    if (end < 0) throw new RangeError('unterminated string');
    const v = this.body.toString('utf8', this.at, end);
    this.at = end + 1;
    return v;
  }

  bytes(n: number): Buffer {
    if (this.at + n > this.body.length) throw new RangeError('short message');
    const v = this.body.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }

  get remaining(): number {
    return this.body.length - this.at;
  }
}
