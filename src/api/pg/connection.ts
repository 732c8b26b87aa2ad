/**
 * One client socket, from the first byte to the last: SSL and GSS requests (declined), a
 * CancelRequest, the startup packet, the cleartext password (an API key), then the session.
 * Size caps hold from the first byte, the login has a deadline, and a client that goes away
 * has its running query killed.
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from '../../shared/logger.ts';
import { addressKey, type ConnectionTracker, type Tracked } from './limits.ts';
import * as m from './messages.ts';
import type { LoadColumns } from './prepare.ts';
import type { RunStatement } from './query.ts';
import { Session } from './session.ts';
import { SessionSettings } from './settings.ts';
import { BodyReader, FrameReader, type Frame, type FrameCaps } from './wire.ts';

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** Sessions by BackendKeyData, so a CancelRequest on another connection finds its target. */
export type CancelRegistry = Map<number, { secret: number; session: Session }>;

interface ConnectionDeps {
  run: RunStatement;
  loadColumns: LoadColumns;
  verifyPassword(user: string, password: string): Promise<boolean>;
  tracker: ConnectionTracker;
  cancels: CancelRegistry;
  caps: FrameCaps;
  authDeadlineMs: number;
  log: Logger;
}

let nextPid = 1;

// 1 s after a FATAL: a client that reads has it and closes; one that never reads must not keep the socket.
const LINGER_MS = 1_000;

/** Sends a FATAL and closes: gracefully for a client that reads, by force a moment later. */
export function closeWithError(socket: Socket, notice: m.PgNotice): void {
  if (!socket.destroyed) socket.end(m.errorResponse(notice));
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

export function serveConnection(socket: Socket, deps: ConnectionDeps): void {
  const reader = new FrameReader(deps.caps);
  let phase: 'startup' | 'password' | 'ready' = 'startup';
  let user = '';
  let startupParams: Record<string, string> = {};
  let session: Session | undefined;
  let busySince: number | undefined;
  let idleSince = Date.now();
  const pid = nextPid++;
  const secret = randomInt(1, 2 ** 31 - 1);
  let chain = Promise.resolve();

  const write = (messages: Buffer[]) => {
    if (!socket.destroyed && messages.length > 0) socket.write(Buffer.concat(messages));
  };
  const fatal = (code: string, message: string) => closeWithError(socket, { severity: 'FATAL', code, message });
  const address = addressKey(socket.remoteAddress);
  const tracked: Tracked = {
    address,
    idleSince: () => (busySince === undefined ? idleSince : undefined),
    terminate: (why) => fatal('57P01', `terminating connection: ${why}`),
  };

  let pending = true;
  const leavePending = () => {
    if (pending) deps.tracker.releasePending(address);
    pending = false;
    clearTimeout(deadline);
  };
  // The slot is free at the deadline, whether or not the client ever reads the FATAL or closes.
  const deadline = setTimeout(() => {
    fatal('08P01', 'authentication timed out');
    leavePending();
  }, deps.authDeadlineMs);

  socket.on('close', () => {
    leavePending();
    session?.cancel(); // a query whose client went away is killed on the server
    deps.tracker.release(tracked);
    deps.cancels.delete(pid);
  });
  socket.on('error', (err) => deps.log.debug({ err }, 'pg client socket error'));

  const startup = (frame: Frame) => {
    const r = new BodyReader(frame.body);
    const code = r.int32();
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) return write([Buffer.from('N')]);
    if (code === CANCEL_REQUEST) {
      const target = deps.cancels.get(r.int32());
      if (target && target.secret === r.int32()) target.session.cancel();
      socket.end();
      return;
    }
    if (code !== PROTOCOL_3) return fatal('0A000', `unsupported frontend protocol ${code >> 16}.${code & 0xffff}`);
    const params: Record<string, string> = {};
    while (r.remaining > 1) {
      const key = r.cstring();
      params[key] = r.cstring();
    }
    startupParams = params;
    user = params.user ?? '';
    phase = 'password';
    reader.startTyped();
    write([m.authentication(3)]);
  };

  const password = async (frame: Frame) => {
    if (frame.type !== 'p') return fatal('08P01', 'expected a password message');
    const ok = await deps.verifyPassword(user, new BodyReader(frame.body).cstring());
    if (socket.destroyed || !pending) return; // the deadline passed while the password was checked
    if (!ok) return fatal('28P01', `password authentication failed for user "${user}"`);
    leavePending();
    const refused = deps.tracker.admitSession(tracked);
    if (refused) return fatal('53300', refused);
    const settings = new SessionSettings(startupParams);
    session = new Session({ run: deps.run, settings, loadColumns: deps.loadColumns, write });
    deps.cancels.set(pid, { secret, session });
    phase = 'ready';
    write([
      m.authentication(0),
      ...settings.reported().map(([k, v]) => m.parameterStatus(k, v)),
      m.backendKeyData(pid, secret),
      m.readyForQuery('I'),
    ]);
  };

  const handle = async (frame: Frame) => {
    if (socket.destroyed || socket.writableEnded) return;
    if (phase === 'startup') {
      startup(frame);
      // Startup-phase packets come one at a time; what followed this one is read in its new framing.
      return void setImmediate(() => onFrames(Buffer.alloc(0)));
    }
    if (phase === 'password') return password(frame);
    if (frame.type === 'X') return void socket.end();
    busySince = Date.now();
    try {
      await session?.handle(frame.type, frame.body);
    } finally {
      busySince = undefined;
      idleSince = Date.now();
    }
  };

  function onFrames(chunk: Buffer): void {
    const out = reader.push(chunk);
    if (!out.ok) return fatal('54000', `message too large: ${out.why}`);
    for (const frame of out.frames) {
      chain = chain
        .then(() => handle(frame))
        .catch((err: unknown) => {
          deps.log.error({ err }, 'pg message failed');
          fatal('XX000', 'internal error');
        });
    }
  }
  socket.on('data', onFrames);
}
