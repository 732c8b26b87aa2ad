/**
 * A typed client for the Flink SQL Gateway REST API, v3 (served by Flink 2.2.1 next to v1,
 * v2 and v4; v3 is the newest one whose session and statement endpoints are documented).
 *
 *   const gateway = SqlGateway.fromConfig(config);
 *   const jobId = await gateway.withSession({ name: 'deploy' }, (s) =>
 *     s.submitStatementSet(['SET ...', 'CREATE TABLE ...'], ['INSERT INTO ... SELECT ...']));
 *
 * Every statement is executed and then read to its end, so a failure surfaces here with the
 * gateway's message trimmed to its root cause (FlinkApiError), not later in a job log.
 */
import { z } from 'zod';
import type { Config } from '../shared/config.ts';
import { requestJson } from './http.ts';
import { fetchAllResults, jobIdOf, type FetchOptions, type StatementResult } from './gateway-results.ts';

export type { StatementResult, ResultRow, FetchOptions } from './gateway-results.ts';

const sessionOpened = z.object({ sessionHandle: z.string() });
const operationSubmitted = z.object({ operationHandle: z.string() });
const operationStatus = z.object({ status: z.string() });
const gatewayInfo = z.object({ productName: z.string(), version: z.string() });
const ignored = z.unknown();

export interface SessionOptions {
  /** Shown in the gateway's log; helps tell a deploy session from a test's. */
  name?: string;
  /** Session configuration, like SET for every statement of the session ('pipeline.name', ...). */
  properties?: Record<string, string>;
}

/** The gateway at one address; opens sessions. */
export class SqlGateway {
  constructor(readonly baseUrl: string) {}

  static fromConfig(config: Config): SqlGateway {
    return new SqlGateway(`http://${config.flink.gatewayHost}:${config.flink.gatewayPort}`);
  }

  /** `{"productName":"Apache Flink","version":"2.2.1"}`: a cheap liveness and version check. */
  async info(): Promise<z.infer<typeof gatewayInfo>> {
    return requestJson(`${this.baseUrl}/v1/info`, gatewayInfo);
  }

  async openSession(opts: SessionOptions = {}): Promise<GatewaySession> {
    const body = { sessionName: opts.name, properties: opts.properties ?? {} };
    const { sessionHandle } = await requestJson(`${this.baseUrl}/v3/sessions`, sessionOpened, { body });
    return new GatewaySession(this.baseUrl, sessionHandle);
  }

  /** Runs `work` in a fresh session and closes the session whatever happens. */
  async withSession<T>(opts: SessionOptions, work: (session: GatewaySession) => Promise<T>): Promise<T> {
    const session = await this.openSession(opts);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }
}

/** One gateway session: its catalog objects and SET options live until it is closed. */
export class GatewaySession {
  constructor(
    readonly baseUrl: string,
    readonly handle: string,
  ) {}

  private get url(): string {
    return `${this.baseUrl}/v3/sessions/${this.handle}`;
  }

  /** The session's effective configuration (cluster config merged with the session's own). */
  async properties(): Promise<Record<string, string>> {
    const answer = await requestJson(this.url, z.object({ properties: z.record(z.string(), z.string()) }));
    return answer.properties;
  }

  /** Submits one statement without waiting; returns its operation handle. */
  async submit(statement: string): Promise<string> {
    const body = { statement: trimStatement(statement) };
    const { operationHandle } = await requestJson(`${this.url}/statements`, operationSubmitted, { body });
    return operationHandle;
  }

  /** PENDING, RUNNING, FINISHED, CANCELED, CLOSED, ERROR or TIMEOUT. */
  async operationStatus(operation: string): Promise<string> {
    return (await requestJson(`${this.url}/operations/${operation}/status`, operationStatus)).status;
  }

  /** Releases an operation's resources on the gateway (and stops a streaming SELECT's job). */
  async closeOperation(operation: string): Promise<void> {
    await requestJson(`${this.url}/operations/${operation}/close`, ignored, { method: 'DELETE' });
  }

  /**
   * Executes one statement and reads its result to the end (or to `maxRows`). For INSERT and
   * statement sets the gateway's end is the job's submission, not its completion
   * (`table.dml-sync` is false by default), so `jobId` names a job that is now starting.
   */
  async execute(statement: string, opts: FetchOptions = {}): Promise<StatementResult> {
    const operation = await this.submit(statement);
    const first = `/v3/sessions/${this.handle}/operations/${operation}/result/0?rowFormat=JSON`;
    const result = await fetchAllResults(this.baseUrl, first, opts);
    // A truncated streaming query still runs on the cluster; closing the operation stops it.
    if (result.truncated) await this.closeOperation(operation);
    return result;
  }

  /** Executes statements in order, stopping at the first failure. */
  async executeAll(statements: readonly string[], opts: FetchOptions = {}): Promise<StatementResult[]> {
    const results: StatementResult[] = [];
    for (const statement of statements) results.push(await this.execute(statement, opts));
    return results;
  }

  /**
   * Runs `setup` (SET, CREATE TABLE, CREATE VIEW, ...) and then every INSERT of `inserts` as one
   * `EXECUTE STATEMENT SET`: one Flink job, one checkpoint barrier across all of its sinks.
   * Returns the job id.
   */
  async submitStatementSet(setup: readonly string[], inserts: readonly string[]): Promise<string> {
    if (inserts.length === 0) throw new Error('a statement set needs at least one INSERT');
    await this.executeAll(setup);
    const body = inserts.map((s) => `  ${trimStatement(s)};`).join('\n');
    const result = await this.execute(`EXECUTE STATEMENT SET\nBEGIN\n${body}\nEND`);
    const jobId = jobIdOf(result);
    if (!jobId) throw new Error(`the gateway answered the statement set without a job id: ${JSON.stringify(result)}`);
    return jobId;
  }

  /** Closes the session; closing one that is already gone (idle timeout, restart) is not an error. */
  async close(): Promise<void> {
    try {
      await requestJson(this.url, ignored, { method: 'DELETE' });
    } catch (err) {
      if (!(err instanceof Error && /does not exist/.test(err.message))) throw err;
    }
  }
}

/** The gateway takes one statement per request; a trailing `;` (as in a .sql file) is cut off. */
function trimStatement(statement: string): string {
  return statement.trim().replace(/;\s*$/, '');
}
