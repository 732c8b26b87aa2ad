import { describe, expect, it } from 'vitest';
import { rewritePostgresIdioms } from './pg-compat.ts';
import { tokenize } from './tokens.ts';

function rewrite(sql: string): string {
  const lexed = tokenize(sql);
  if (!lexed.ok) throw new Error(lexed.why);
  return rewritePostgresIdioms(sql, lexed.tokens);
}

describe('Postgres idioms in ClickHouse SQL', () => {
  it("expands Grafana macros' output into ClickHouse functions", () => {
    expect(
      rewrite(
        "SELECT floor(extract(epoch from window_start)/60)*60 AS \"time\" FROM t WHERE window_start BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-01T01:00:00.5Z'",
      ),
    ).toBe(
      "SELECT floor(toUnixTimestamp(window_start)/60)*60 AS \"time\" FROM t WHERE window_start BETWEEN toDateTime('2026-01-01 00:00:00') AND toDateTime('2026-01-01 01:00:00')",
    );
  });

  it('turns :: casts into CAST', () => {
    expect(rewrite("SELECT '150000'::int/100 as version, (a + 1)::bigint, f(x)::text, $1::text[]")).toBe(
      "SELECT CAST('150000' AS Int32)/100 as version, CAST((a + 1) AS Int64), CAST(f(x) AS String), CAST($1 AS Array(String))",
    );
  });

  it("turns ORDER BY and GROUP BY positions into the select list's items", () => {
    expect(rewrite('SELECT ad_id, sum(clicks) AS c FROM t GROUP BY 1 ORDER BY 2 DESC, 1')).toBe(
      'SELECT ad_id, sum(clicks) AS c FROM t GROUP BY ad_id ORDER BY c DESC, ad_id',
    );
    expect(rewrite('SELECT a FROM (SELECT x AS a, y FROM t ORDER BY 2) ORDER BY 1 LIMIT 1, 2')).toBe(
      'SELECT a FROM (SELECT x AS a, y FROM t ORDER BY y) ORDER BY a LIMIT 1, 2',
    );
    expect(rewrite('SELECT a FROM t WHERE b IN (1, 2) ORDER BY f(a, 2)')).toBe(
      'SELECT a FROM t WHERE b IN (1, 2) ORDER BY f(a, 2)',
    );
  });
});
