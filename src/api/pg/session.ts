/**
 * One authenticated client session: the simple query protocol ('Q') and the extended one
 * (Parse, Bind, Describe, Execute, Sync, Close, Flush), statement and portal state, the
 * transaction status, and cancellation. Messages are handled strictly in order.
 */
import { splitStatements } from '../../shared/sql-split.ts';
import {
  encodeRow,
  executeClickHouse,
  executeLocal,
  nextStatus,
  commandTag,
  type ExecOutcome,
  type Execution,
} from './execute.ts';
import { copyLine } from './copy.ts';
import * as m from './messages.ts';
import type { PgNotice, TxStatus } from './messages.ts';
import { bindParameters, prepareStatement, type LoadColumns, type Prepared } from './prepare.ts';
import type { RunStatement } from './query.ts';
import type { SessionSettings } from './settings.ts';
import { protocolError } from './sqlstate.ts';
import { ExtendedProtocol } from './extended.ts';
import { answerCatalog } from './catalog.ts';
import { tokenize } from './tokens.ts';

interface SessionDeps {
  run: RunStatement;
  settings: SessionSettings;
  loadColumns: LoadColumns;
  write(messages: Buffer[]): void;
}

export class Session {
  status: TxStatus = 'I';
  /** Aborts the statement in flight (CancelRequest, or the client going away). */
  private inFlight?: AbortController;
  private readonly extended: ExtendedProtocol;

  constructor(readonly deps: SessionDeps) {
    this.extended = new ExtendedProtocol(this);
  }

  /** CancelRequest from another connection, or the socket closing: the ClickHouse query is killed. */
  cancel(): void {
    this.inFlight?.abort();
  }

  async handle(type: string, body: Buffer): Promise<void> {
    if (type === 'Q') return this.simpleQuery(body.toString('utf8', 0, Math.max(body.indexOf(0), 0)));
    return this.extended.handle(type, body);
  }

  prepare(sql: string, declared: number[]): Promise<Prepared> {
    return prepareStatement(sql, declared, this.deps.settings, this.deps.loadColumns);
  }

  /** Runs a prepared statement whose parameters are bound; updates the transaction status. */
  async execute(prepared: Prepared, literals: Parameters<typeof bindParameters>[1]): Promise<ExecOutcome> {
    let outcome: ExecOutcome;
    if (prepared.kind === 'refused') outcome = { ok: false, error: prepared.error };
    else if (prepared.kind === 'empty')
      outcome = { ok: true, execution: { fields: [], rows: [], verb: '', statuses: [] } };
    else if (prepared.kind === 'local') outcome = await executeLocal(prepared.local, this.deps.settings, this.status);
    else if (prepared.kind === 'catalog') outcome = await this.catalog(prepared, literals);
    else {
      const query = prepared.kind === 'copy' ? prepared.query : prepared;
      const bound = bindParameters(query, literals);
      if (!bound.ok) outcome = bound;
      else {
        this.inFlight = new AbortController();
        outcome = await executeClickHouse(bound.sql, this.deps.run, this.status, this.inFlight.signal);
        this.inFlight = undefined;
        if (outcome.ok && prepared.kind === 'copy') outcome.execution.copy = prepared.options;
      }
    }
    this.status = nextStatus(this.status, outcome);
    if (outcome.ok && outcome.execution.deallocate !== undefined)
      this.extended.deallocate(outcome.execution.deallocate);
    return outcome;
  }

  /** A catalog query with its parameters bound, answered from ClickHouse's system tables. */
  async catalog(
    prepared: Extract<Prepared, { kind: 'catalog' }>,
    literals: Parameters<typeof bindParameters>[1],
  ): Promise<ExecOutcome> {
    if (this.status === 'E')
      return {
        ok: false,
        error: {
          severity: 'ERROR',
          code: '25P02',
          message: 'current transaction is aborted, commands ignored until end of transaction block',
        },
      };
    const bound = bindParameters(prepared, literals);
    if (!bound.ok) return bound;
    const lexed = tokenize(bound.sql);
    if (!lexed.ok) return { ok: false, error: { severity: 'ERROR', code: '42601', message: lexed.why } };
    const answer = await answerCatalog(lexed.tokens, this.deps.run, this.deps.settings.get('current_database') ?? '');
    return { ok: true, execution: { fields: answer.fields, rows: answer.rows, verb: 'SELECT', statuses: [] } };
  }

  error(error: PgNotice): Buffer {
    return m.errorResponse(error);
  }

  /** Rows (all of them, text format) and completion of an execution, as a simple query sends them. */
  completeAll(e: Execution): Buffer[] {
    const out: Buffer[] = e.statuses.map(([k, v]) => m.parameterStatus(k, v));
    if (e.copy) return [...out, ...this.copyOut(e)];
    if (e.fields.length > 0) out.push(m.rowDescription(e.fields));
    for (const row of e.rows) {
      const encoded = encodeRow(row, e.fields, []);
      if (!encoded.ok) return [...out, m.errorResponse(encoded.error)];
      out.push(m.dataRow(encoded.cells));
    }
    out.push(m.commandComplete(commandTag(e, e.rows.length)));
    return out;
  }

  private copyOut(e: Execution): Buffer[] {
    const options = e.copy;
    if (!options) return [];
    const out = [m.copyOutResponse(e.fields.length)];
    if (options.header)
      out.push(
        m.copyData(
          Buffer.from(
            copyLine(
              e.fields.map((f) => f.name),
              options,
            ),
          ),
        ),
      );
    for (const row of e.rows) {
      const encoded = encodeRow(row, e.fields, []);
      if (!encoded.ok) return [...out, m.copyDone(), m.errorResponse(encoded.error)];
      out.push(
        m.copyData(
          Buffer.from(
            copyLine(
              encoded.cells.map((c) => (c === null ? null : c.toString('utf8'))),
              options,
            ),
          ),
        ),
      );
    }
    return [...out, m.copyDone(), m.commandComplete(commandTag(e, e.rows.length))];
  }

  private async simpleQuery(text: string): Promise<void> {
    const statements = splitStatements(text);
    if (statements.length === 0) return this.deps.write([m.emptyQueryResponse(), m.readyForQuery(this.status)]);
    for (const sql of statements) {
      const outcome = await this.execute(await this.prepare(sql, []), []);
      if (!outcome.ok) {
        this.deps.write([m.errorResponse(outcome.error)]);
        break; // Postgres skips the rest of a multi-statement query after an error
      }
      const replies = this.completeAll(outcome.execution);
      this.deps.write(replies);
      if (replies.some((r) => r[0] === 0x45)) break; // an ErrorResponse mid-result
    }
    this.deps.write([m.readyForQuery(this.status)]);
  }

  protocolViolation(why: string): Buffer {
    return m.errorResponse(protocolError(why));
  }
}
