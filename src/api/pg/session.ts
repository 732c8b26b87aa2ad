/**
 * One client session after the password exchange. pg-gateway 0.3.0-beta.4 handles startup and
 * authentication but never reaches its `onQuery` for simple queries, so every message of a
 * ready session is answered here, from its `onMessage` hook.
 */
import type { ConnectionState } from 'pg-gateway';
import { errorResponse, parameterStatus, readyForQuery } from './messages.ts';
import type { RunStatement } from './query.ts';
import { answerSimpleQuery } from './simple-query.ts';
import { unsupportedError } from './sqlstate.ts';

// Request codes that precede a startup message (protocol 3.0 "special" messages).
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;

// Sent with the first reply: pg-gateway reports only server_version at startup, and libpq
// assumes SQL_ASCII and non-standard strings without these. ParameterStatus may arrive at any time.
const SESSION_PARAMETERS: [string, string][] = [
  ['server_encoding', 'UTF8'],
  ['client_encoding', 'UTF8'],
  ['DateStyle', 'ISO, MDY'],
  ['TimeZone', 'UTC'],
  ['integer_datetimes', 'on'],
  ['standard_conforming_strings', 'on'],
];

/** A reply pg-gateway writes as-is; returning undefined leaves the message to pg-gateway. */
type Reply = Buffer[] | undefined;

// pg-gateway treats an empty reply as "not handled"; a zero-length write says "handled, nothing to send".
const NOTHING: Buffer[] = [Buffer.alloc(0)];

/** The query text of a 'Q' message: type byte, int32 length, then a NUL-terminated string. */
function queryText(data: Uint8Array): string {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = buf.indexOf(0, 5);
  return buf.toString('utf8', 5, end < 0 ? buf.length : end);
}

/** The request code of a message sent before startup (length, then code). */
function requestCode(data: Uint8Array): number | undefined {
  if (data.byteLength < 8) return undefined;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).readInt32BE(4);
}

export function createSession(run: RunStatement): (data: Uint8Array, state: ConnectionState) => Promise<Reply> {
  let parametersSent = false;
  let extendedFailed = false;

  const beforeStartup = (data: Uint8Array): Reply => {
    const code = requestCode(data);
    // No GSS encryption: 'N' and the client goes on with SSLRequest or startup.
    if (code === GSSENC_REQUEST) return [Buffer.from('N')];
    // We send no BackendKeyData, so there is nothing to cancel; the client closes the connection.
    if (code === CANCEL_REQUEST) return NOTHING;
    return undefined;
  };

  return async (data, state) => {
    if (!state.hasStarted) return beforeStartup(data);
    if (state.step !== 'ReadyForQuery') return undefined; // startup and password: pg-gateway's
    const type = String.fromCharCode(data[0] ?? 0);
    switch (type) {
      case 'Q': {
        const replies = await answerSimpleQuery(queryText(data), run);
        if (parametersSent) return replies;
        parametersSent = true;
        return [...SESSION_PARAMETERS.map(([k, v]) => parameterStatus(k, v)), ...replies];
      }
      case 'X':
        return undefined; // Terminate (psql's \q): pg-gateway closes the connection
      case 'S': // Sync ends an extended-protocol exchange: the client waits for ReadyForQuery
        extendedFailed = false;
        return [readyForQuery()];
      case 'P': case 'B': case 'D': case 'E': case 'C': case 'H':
        // Extended protocol: one error, then ignore messages until Sync, as Postgres does.
        if (extendedFailed) return NOTHING;
        extendedFailed = true;
        return [errorResponse(unsupportedError('the extended query protocol (prepared statements)', 'use the simple query protocol, as psql does'))];
      default:
        return [errorResponse(unsupportedError(`protocol message '${type}'`)), readyForQuery()];
    }
  };
}
