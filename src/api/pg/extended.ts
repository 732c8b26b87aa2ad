/**
 * The extended query protocol: Parse, Bind, Describe, Execute (with row limits and
 * PortalSuspended), Close, Flush and Sync, for named and unnamed statements and portals, with
 * parameters and results in text or binary format. After an error, messages are skipped until
 * Sync, as Postgres does. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
 */
import { splitStatements } from '../../shared/sql-split.ts';
import { commandTag, encodeRow, type Execution } from './execute.ts';
import * as m from './messages.ts';
import type { FormatCode, PgField, PgNotice } from './messages.ts';
import { literalFromBinary, literalFromText, type Literal } from './param-values.ts';
import { bindParameters, placeholder, type Prepared } from './prepare.ts';
import type { Session } from './session.ts';
import { isKeyword } from './tokens.ts';
import { TEXT, pgTypeOf, type PgType } from './types.ts';
import { BodyReader } from './wire.ts';

interface Statement {
  prepared: Prepared;
  paramTypes: PgType[];
  /** Result columns, found once by Describe. */
  fields?: PgField[];
}

interface Portal {
  statement: Statement;
  literals: Literal[];
  formats: FormatCode[];
  execution?: Execution;
  sent: number;
}

const fail = (code: string, message: string): PgNotice => ({ severity: 'ERROR', code, message });

function formatsFor(codes: number[], count: number): FormatCode[] {
  return Array.from({ length: count }, (_, i) => ((codes.length === 1 ? codes[0] : codes[i]) === 1 ? 1 : 0));
}

function readArray<T>(r: BodyReader, read: () => T): T[] {
  const n = r.int16();
  return Array.from({ length: n }, read);
}

export class ExtendedProtocol {
  private readonly statements = new Map<string, Statement>();
  private readonly portals = new Map<string, Portal>();
  private skipping = false;

  constructor(private readonly session: Session) {}

  async handle(type: string, body: Buffer): Promise<void> {
    if (type === 'S') return this.sync();
    if (type === 'H') return; // Flush: every reply is written as soon as it is made
    if (this.skipping) return;
    let reply: Buffer[];
    try {
      reply = await this.dispatch(type, new BodyReader(body));
    } catch (err) {
      reply = [m.errorResponse(fail('08P01', `malformed '${type}' message: ${(err as Error).message}`))];
    }
    if (reply.some((b) => b[0] === 0x45)) {
      this.skipping = true;
      if (this.session.status === 'T') this.session.status = 'E';
    }
    this.session.deps.write(reply);
  }

  private dispatch(type: string, r: BodyReader): Promise<Buffer[]> {
    switch (type) {
      case 'P':
        return this.parse(r);
      case 'B':
        return Promise.resolve(this.bind(r));
      case 'D':
        return this.describe(r);
      case 'E':
        return this.execute(r);
      case 'C':
        return Promise.resolve(this.close(r));
      default:
        return Promise.resolve([m.errorResponse(fail('08P01', `unexpected message '${type}'`))]);
    }
  }

  private sync(): void {
    this.skipping = false;
    if (this.session.status === 'I') this.portals.clear(); // portals live until their transaction ends
    this.session.deps.write([m.readyForQuery(this.session.status)]);
  }

  private async parse(r: BodyReader): Promise<Buffer[]> {
    const name = r.cstring();
    const text = r.cstring();
    const declared = readArray(r, () => r.int32());
    if (name !== '' && this.statements.has(name))
      return [m.errorResponse(fail('42P05', `prepared statement "${name}" already exists`))];
    const statements = splitStatements(text);
    if (statements.length > 1)
      return [m.errorResponse(fail('42601', 'cannot insert multiple commands into a prepared statement'))];
    const prepared = await this.session.prepare(statements[0] ?? '', declared);
    if (prepared.kind === 'refused') return [m.errorResponse(prepared.error)];
    const paramTypes =
      prepared.kind === 'clickhouse' || prepared.kind === 'catalog'
        ? prepared.paramTypes
        : prepared.kind === 'copy'
          ? prepared.query.paramTypes
          : [];
    this.statements.set(name, { prepared, paramTypes });
    return [m.parseComplete()];
  }

  private bind(r: BodyReader): Buffer[] {
    const portal = r.cstring();
    const name = r.cstring();
    const paramFormats = readArray(r, () => r.int16());
    const values = readArray(r, () => {
      const len = r.int32();
      return len < 0 ? null : r.bytes(len);
    });
    const resultFormats = readArray(r, () => r.int16());
    const statement = this.statements.get(name);
    if (!statement) return [m.errorResponse(fail('26000', `prepared statement "${name}" does not exist`))];
    if (values.length !== statement.paramTypes.length) {
      return [
        m.errorResponse(
          fail(
            '08P01',
            `bind message supplies ${values.length} parameters, but prepared statement "${name}" requires ${statement.paramTypes.length}`,
          ),
        ),
      ];
    }
    const formats = formatsFor(paramFormats, values.length);
    const literals = values.map((v, i): Literal => {
      const type = statement.paramTypes[i] ?? TEXT;
      if (v === null) return { ok: true, sql: 'NULL' };
      return formats[i] === 1 ? literalFromBinary(v, type) : literalFromText(v.toString('utf8'), type);
    });
    const bad = literals.find((l) => !l.ok);
    if (bad && !bad.ok) return [m.errorResponse(fail('22P02', bad.message))];
    this.portals.set(portal, { statement, literals, formats: resultFormats.map((f) => (f === 1 ? 1 : 0)), sent: 0 });
    return [m.bindComplete()];
  }

  private async describe(r: BodyReader): Promise<Buffer[]> {
    const kind = String.fromCharCode(r.bytes(1)[0] ?? 0);
    const name = r.cstring();
    if (kind === 'S') {
      const statement = this.statements.get(name);
      if (!statement) return [m.errorResponse(fail('26000', `prepared statement "${name}" does not exist`))];
      const fields = await this.statementFields(statement);
      if (!fields.ok) return [m.errorResponse(fields.error)];
      return [
        m.parameterDescription(statement.paramTypes.map((t) => t.oid)),
        fields.fields.length > 0 ? m.rowDescription(fields.fields) : m.noData(),
      ];
    }
    const portal = this.portals.get(name);
    if (!portal) return [m.errorResponse(fail('34000', `portal "${name}" does not exist`))];
    const p = portal.statement.prepared;
    if (p.kind === 'local')
      return [
        p.local.fields.length > 0
          ? m.rowDescription(p.local.fields, formatsFor(portal.formats, p.local.fields.length))
          : m.noData(),
      ];
    if (p.kind !== 'clickhouse' && p.kind !== 'catalog') return [m.noData()];
    const error = await this.run(portal);
    if (error) return [m.errorResponse(error)];
    const fields = portal.execution?.fields ?? [];
    return [fields.length > 0 ? m.rowDescription(fields, formatsFor(portal.formats, fields.length)) : m.noData()];
  }

  /** The result columns of a statement before its values are known: it runs with placeholder values and LIMIT 0. */
  private async statementFields(
    statement: Statement,
  ): Promise<{ ok: true; fields: PgField[] } | { ok: false; error: PgNotice }> {
    if (statement.fields) return { ok: true, fields: statement.fields };
    const p = statement.prepared;
    if (p.kind === 'local') return { ok: true, fields: p.local.fields };
    if (p.kind === 'catalog') {
      const answer = await this.session.catalog(p, statement.paramTypes.map(placeholder));
      if (!answer.ok) return answer;
      statement.fields = answer.execution.fields;
      return { ok: true, fields: statement.fields };
    }
    if (p.kind !== 'clickhouse') return { ok: true, fields: [] };
    const bound = bindParameters(p, statement.paramTypes.map(placeholder));
    if (!bound.ok) return bound;
    const select =
      isKeyword(
        p.tokens.find((t) => t.kind !== 'open'),
        'SELECT',
      ) || isKeyword(p.tokens[0], 'WITH');
    let out = select ? await this.session.deps.run(`SELECT * FROM (${bound.sql}\n) LIMIT 0`) : undefined;
    if (!out?.ok) out = await this.session.deps.run(bound.sql);
    if (!out.ok) return out;
    statement.fields = out.columns.map((c) => ({ name: c.name, type: pgTypeOf(c.type) }));
    return { ok: true, fields: statement.fields };
  }

  /** Runs the portal's statement once; Describe and the Executes that follow read its rows. */
  private async run(portal: Portal): Promise<PgNotice | undefined> {
    if (portal.execution) return undefined;
    const outcome = await this.session.execute(portal.statement.prepared, portal.literals);
    if (!outcome.ok) return outcome.error;
    portal.execution = outcome.execution;
    return undefined;
  }

  private async execute(r: BodyReader): Promise<Buffer[]> {
    const name = r.cstring();
    const maxRows = r.int32();
    const portal = this.portals.get(name);
    if (!portal) return [m.errorResponse(fail('34000', `portal "${name}" does not exist`))];
    if (portal.statement.prepared.kind === 'empty') return [m.emptyQueryResponse()];
    const error = await this.run(portal);
    if (error) return [m.errorResponse(error)];
    const e = portal.execution;
    if (!e) return [];
    if (e.copy) return this.session.completeAll(e).filter((b) => b[0] !== 0x54); // no RowDescription in extended mode
    const out: Buffer[] = e.statuses.map(([k, v]) => m.parameterStatus(k, v));
    const end = maxRows > 0 ? Math.min(e.rows.length, portal.sent + maxRows) : e.rows.length;
    const formats = formatsFor(portal.formats, e.fields.length);
    for (; portal.sent < end; portal.sent++) {
      const encoded = encodeRow(e.rows[portal.sent] ?? [], e.fields, formats);
      if (!encoded.ok) return [...out, m.errorResponse(encoded.error)];
      out.push(m.dataRow(encoded.cells));
    }
    if (portal.sent < e.rows.length) return [...out, m.portalSuspended()];
    return [...out, m.commandComplete(commandTag(e, e.rows.length))];
  }

  deallocate(name: string): void {
    if (name === 'ALL') this.statements.clear();
    else this.statements.delete(name);
  }

  private close(r: BodyReader): Buffer[] {
    const kind = String.fromCharCode(r.bytes(1)[0] ?? 0);
    const name = r.cstring();
    if (kind === 'S') this.statements.delete(name);
    else this.portals.delete(name);
    return [m.closeComplete()];
  }
}
