import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import { describeError } from './errors.ts';

const config = loadConfig({ TOLLBOOTH_STACK_DIR: mkdtempSync(path.join(tmpdir(), 'tollbooth-errors-')) });
const UP = 'start the services with `tollbooth services up`';

function named(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

describe('describeError', () => {
  it('names the service behind a refused address, wherever in the chain it is', () => {
    expect(describeError(new Error('connect ECONNREFUSED 127.0.0.1:8123'), config)).toBe(
      `ClickHouse at 127.0.0.1:8123 does not answer (connect ECONNREFUSED); ${UP}`,
    );
    // kafkajs: the cause rides on originalError.
    const kafka = Object.assign(named('KafkaJSNumberOfRetriesExceeded', 'retries exceeded'), {
      originalError: named('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'),
    });
    expect(describeError(kafka, config)).toBe(`Kafka at 127.0.0.1:9092 does not answer (connect ECONNREFUSED); ${UP}`);
    // fetch (Flink's REST API): a TypeError whose cause is the socket error.
    const fetchFailed = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8081') });
    expect(describeError(fetchFailed, config)).toBe(
      `Flink (JobManager REST) at 127.0.0.1:8081 does not answer (connect ECONNREFUSED); ${UP}`,
    );
  });

  it('an address of no known service, and one before the config was read', () => {
    const err = new Error('connect ETIMEDOUT 10.0.0.9:7000');
    expect(describeError(err, config)).toBe(
      '10.0.0.9:7000 does not answer (connect ETIMEDOUT); is what should listen there running? `tollbooth status`',
    );
    expect(describeError(new Error('connect ECONNREFUSED 127.0.0.1:8123'), undefined)).toMatch(
      /^127\.0\.0\.1:8123 does not answer/,
    );
  });

  it('Redis giving up on a command', () => {
    expect(describeError(named('MaxRetriesPerRequestError', 'Reached the max retries'), config)).toBe(
      `Redis at 127.0.0.1:6379 does not answer; ${UP}`,
    );
  });

  it('anything else: its first line', () => {
    expect(describeError(new Error('migration name "X": use snake_case\nmore'), config)).toBe(
      'migration name "X": use snake_case',
    );
    expect(describeError('a string', config)).toBe('a string');
  });
});
