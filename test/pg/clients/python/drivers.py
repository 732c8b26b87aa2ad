"""psycopg 3, psycopg2 and asyncpg against the Tollbooth Postgres-wire endpoint.

Connection settings come from the PG* environment variables; the fixture table is ad_stats
(test/pg/fixture.ts). Each check asserts native Python types; any failure exits non-zero.
Run by test/pg/python-drivers.test.ts.
"""
import asyncio
import datetime
import decimal
import os
import sys
import threading
import time

import asyncpg
import psycopg
import psycopg2

UTC = datetime.timezone.utc
COLUMNS = "ad_id, clicks, small, delta, ratio, price, day, window_start, first_seen, note, tags, counts"
ALPHA = ("ad-alpha", 14, 1, -3, 0.5, decimal.Decimal("12.34"), datetime.date(2026, 1, 1),
         datetime.datetime(2026, 1, 1, 0, 1, tzinfo=UTC), datetime.datetime(2026, 1, 1, 0, 0, 30, tzinfo=UTC),
         "first", ["a", "b"], [1, 2])
checks = 0


def check(name, got, want):
    global checks
    if got != want:
        print(f"FAIL {name}: got {got!r}, want {want!r}")
        sys.exit(1)
    checks += 1


def psycopg3():
    with psycopg.connect("") as conn:
        rows = conn.execute(f"SELECT {COLUMNS} FROM ad_stats WHERE clicks >= %s ORDER BY ad_id", (2,)).fetchall()
        check("psycopg3 row", rows[0], ALPHA)
        check("psycopg3 zero DateTime is NULL", rows[1][8], None)
        check("psycopg3 zero Date is NULL", rows[2][6], None)
        since = datetime.datetime(2026, 1, 1, 0, 1, 30, tzinfo=UTC)
        check("psycopg3 datetime param", conn.execute("SELECT ad_id FROM ad_stats WHERE window_start > %s ORDER BY ad_id", (since,)).fetchall(), [("ad-beta",), ("ad-gamma",)])
        check("psycopg3 text param", conn.execute("SELECT clicks FROM ad_stats WHERE ad_id = %s", ("ad-gamma",)).fetchone(), (2,))
        check("psycopg3 SHOW", conn.execute("SHOW server_version").fetchone()[0][:3], "15.")
        try:
            conn.execute("SELECT huge FROM ad_stats WHERE ad_id = %s", ("ad-beta",))
            check("psycopg3 int8 overflow raises", "no error", "error")
        except psycopg.errors.NumericValueOutOfRange as err:
            check("psycopg3 overflow names the column", '"huge"' in str(err), True)
        conn.rollback()
        with conn.cursor() as cur, cur.copy("COPY (SELECT ad_id, clicks FROM ad_stats ORDER BY ad_id) TO STDOUT WITH (FORMAT csv)") as copy:
            check("psycopg3 COPY", b"".join(bytes(b) for b in copy), b"ad-alpha,14\nad-beta,9\nad-gamma,2\n")
    # CancelRequest: a slow statement is cancelled from another thread and reports query_canceled.
    with psycopg.connect("", autocommit=True) as conn:
        threading.Timer(0.5, conn.cancel).start()
        started = time.monotonic()
        try:
            conn.execute("SELECT sleepEachRow(0.9) FROM ad_stats")  # 2.7 s unless cancelled
            check("psycopg3 cancel raises", "no error", "error")
        except psycopg.errors.QueryCanceled:
            check("psycopg3 cancel is prompt", time.monotonic() - started < 2.5, True)
        check("psycopg3 usable after cancel", conn.execute("SELECT 1").fetchone(), (1,))


def psycopg2_checks():
    conn = psycopg2.connect("")
    cur = conn.cursor()
    cur.execute(f"SELECT {COLUMNS} FROM ad_stats WHERE ad_id = %s", ("ad-alpha",))
    row = cur.fetchone()
    check("psycopg2 row (arrays as lists)", row, ALPHA)
    check("psycopg2 encoding", conn.encoding, "UTF8")
    conn.rollback()
    conn.close()


async def asyncpg_checks():
    conn = await asyncpg.connect()
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM ad_stats WHERE ad_id = $1", "ad-alpha")
    check("asyncpg row (arrays after type introspection)", tuple(row), ALPHA)
    check("asyncpg array parameter", await conn.fetchval("SELECT count() FROM ad_stats WHERE has($1::text[], ad_id)", ["ad-beta", "ad-gamma"]), 2)
    since = datetime.datetime(2026, 1, 1, 0, 1, 30, tzinfo=UTC)
    check("asyncpg timestamptz param", await conn.fetchval("SELECT count() FROM ad_stats WHERE window_start > $1", since), 2)
    check("asyncpg integer param and LIMIT", [r["ad_id"] for r in await conn.fetch("SELECT ad_id FROM ad_stats WHERE clicks > $1 ORDER BY ad_id LIMIT $2", 5, 1)], ["ad-alpha"])
    stmt = await conn.prepare("SELECT ad_id, clicks FROM ad_stats WHERE small >= $1 ORDER BY ad_id")
    check("asyncpg prepared", [tuple(r) for r in await stmt.fetch(2)], [("ad-beta", 9), ("ad-gamma", 2)])
    async with conn.transaction():
        got = [r["ad_id"] async for r in conn.cursor("SELECT ad_id FROM ad_stats ORDER BY ad_id", prefetch=1)]
    check("asyncpg cursor (Execute with a row limit)", got, ["ad-alpha", "ad-beta", "ad-gamma"])
    await conn.close()


psycopg3()
psycopg2_checks()
asyncio.run(asyncpg_checks())
print(f"{checks} passed, 0 failed")
