/**
 * Encoders for the Postgres backend messages we write ourselves (protocol 3.0). pg-gateway does
 * the startup and password exchange; once a session is ready, every reply comes from here.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** A column of a RowDescription: its name and the Postgres type it is sent as. */
export interface PgField {
  name: string;
  typeOid: number;
  /** Fixed width in bytes, or -1 for variable-width types. */
  typeSize: number;
}

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

export function rowDescription(fields: PgField[]): Buffer {
  const columns = fields.flatMap((f) => [
    cstring(f.name),
    int32(0), // not a column of a Postgres table
    int16(0),
    int32(f.typeOid),
    int16(f.typeSize),
    int32(-1), // no type modifier
    int16(0), // text format: the only one the simple query protocol uses
  ]);
  return message('T', [int16(fields.length), ...columns]);
}

/** A row in text format; null is SQL NULL (length -1). */
export function dataRow(values: (string | null)[]): Buffer {
  const cells = values.flatMap((v) => {
    if (v === null) return [int32(-1)];
    const bytes = Buffer.from(v, 'utf8');
    return [int32(bytes.length), bytes];
  });
  return message('D', [int16(values.length), ...cells]);
}

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

export function noticeResponse(n: PgNotice): Buffer {
  return message('N', noticeFields(n));
}

export function parameterStatus(name: string, value: string): Buffer {
  return message('S', [cstring(name), cstring(value)]);
}

/** The server is idle and ready for the next query; we never hold a transaction open. */
export function readyForQuery(): Buffer {
  return message('Z', [Buffer.from('I', 'ascii')]);
}
