/**
 * Encoders for the Postgres backend messages (protocol 3.0); every byte the endpoint sends is
 * built here. https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
import type { PgType } from './types.ts';

/** A column of a RowDescription: its name and the Postgres type it is sent as. */
export interface PgField {
  name: string;
  type: PgType;
}

/** 0 text, 1 binary (per column, as the client asked in Bind). */
export type FormatCode = 0 | 1;

/** The fields of an ErrorResponse or NoticeResponse that clients show. */
export interface PgNotice {
  severity: 'ERROR' | 'FATAL' | 'NOTICE' | 'WARNING';
  /** SQLSTATE, five characters (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

function cstring(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** One message: a type byte, a length that counts itself, then the body. */
function message(type: string, parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type, 'ascii'), int32(body.length + 4), body]);
}

export function rowDescription(fields: PgField[], formats: FormatCode[] = []): Buffer {
  const columns = fields.flatMap((f, i) => [
    cstring(f.name),
    int32(0), // not a column of a Postgres table
    int16(0),
    int32(f.type.oid),
    int16(f.type.size),
    int32(-1), // no type modifier
    int16(formats[i] ?? 0),
  ]);
  return message('T', [int16(fields.length), ...columns]);
}

/** A row of encoded cells; null is SQL NULL (length -1). */
export function dataRow(cells: (Buffer | null)[]): Buffer {
  const parts = cells.flatMap((c) => (c === null ? [int32(-1)] : [int32(c.length), c]));
  return message('D', [int16(cells.length), ...parts]);
}

export const parseComplete = (): Buffer => message('1', []);
export const bindComplete = (): Buffer => message('2', []);
export const closeComplete = (): Buffer => message('3', []);
export const noData = (): Buffer => message('n', []);
export const portalSuspended = (): Buffer => message('s', []);

export function parameterDescription(oids: number[]): Buffer {
  return message('t', [int16(oids.length), ...oids.map(int32)]);
}

/** AuthenticationCleartextPassword (3) or AuthenticationOk (0). */
export function authentication(code: 0 | 3): Buffer {
  return message('R', [int32(code)]);
}

export function backendKeyData(pid: number, secret: number): Buffer {
  return message('K', [int32(pid), int32(secret)]);
}

/** COPY ... TO STDOUT: overall format 0 (text; CSV is text too), every column text. */
export function copyOutResponse(columns: number): Buffer {
  return message('H', [Buffer.from([0]), int16(columns), ...Array.from({ length: columns }, () => int16(0))]);
}

export const copyData = (data: Buffer): Buffer => message('d', [data]);
export const copyDone = (): Buffer => message('c', []);

/** The end of one statement's reply, e.g. "SELECT 12". */
export function commandComplete(tag: string): Buffer {
  return message('C', [cstring(tag)]);
}

/** The reply to a query string that holds no statement. */
export function emptyQueryResponse(): Buffer {
  return message('I', []);
}

function noticeFields(n: PgNotice): Buffer[] {
  const fields: [string, string | undefined][] = [
    ['S', n.severity],
    ['V', n.severity],
    ['C', n.code],
    ['M', n.message],
    ['D', n.detail],
    ['H', n.hint],
  ];
  const present = fields.filter((f): f is [string, string] => f[1] !== undefined);
  return [...present.map(([k, v]) => Buffer.concat([Buffer.from(k, 'ascii'), cstring(v)])), Buffer.from([0])];
}

export function errorResponse(n: PgNotice): Buffer {
  return message('E', noticeFields(n));
}

export function parameterStatus(name: string, value: string): Buffer {
  return message('S', [cstring(name), cstring(value)]);
}

/** Transaction status in ReadyForQuery: idle, in a transaction block, or in a failed one. */
export type TxStatus = 'I' | 'T' | 'E';

export function readyForQuery(status: TxStatus = 'I'): Buffer {
  return message('Z', [Buffer.from(status, 'ascii')]);
}
