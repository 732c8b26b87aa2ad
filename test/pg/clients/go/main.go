// pgx v5 in its default mode (cached prepared statements: Parse, Describe, then Bind with
// binary values chosen from our ParameterDescription) against the Tollbooth Postgres-wire
// endpoint. Connection settings come from the PG* environment variables; the fixture table is
// ad_stats (test/pg/fixture.ts). Exits non-zero on the first failed check.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

var checks int

func check(name string, got, want any) {
	if !reflect.DeepEqual(got, want) {
		fmt.Printf("FAIL %s: got %#v, want %#v\n", name, got, want)
		os.Exit(1)
	}
	checks++
}

func must(err error) {
	if err != nil {
		fmt.Println("FAIL:", err)
		os.Exit(1)
	}
}

func main() {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, "")
	must(err)
	defer conn.Close(ctx)

	var (
		adID                string
		clicks              int64
		small               int16
		delta               int32
		ratio, price        float64
		day, windowStart    time.Time
		firstSeen           *time.Time
		note                *string
		tags                []string
		counts              []int64
	)
	row := conn.QueryRow(ctx, "SELECT ad_id, clicks, small, delta, ratio, price, day, window_start, first_seen, note, tags, counts FROM ad_stats WHERE ad_id = $1", "ad-alpha")
	must(row.Scan(&adID, &clicks, &small, &delta, &ratio, &price, &day, &windowStart, &firstSeen, &note, &tags, &counts))
	check("ad_id", adID, "ad-alpha")
	check("clicks int8", clicks, int64(14))
	check("small int2", small, int16(1))
	check("delta int4", delta, int32(-3))
	check("ratio float8", ratio, 0.5)
	check("price numeric", price, 12.34)
	check("day date", day.Format("2006-01-02"), "2026-01-01")
	check("window_start timestamptz", windowStart.UTC(), time.Date(2026, 1, 1, 0, 1, 0, 0, time.UTC))
	check("first_seen", firstSeen.UTC(), time.Date(2026, 1, 1, 0, 0, 30, 0, time.UTC))
	check("note", *note, "first")
	check("tags text[]", tags, []string{"a", "b"})
	check("counts int8[]", counts, []int64{1, 2})

	must(conn.QueryRow(ctx, "SELECT first_seen, note FROM ad_stats WHERE ad_id = $1", "ad-beta").Scan(&firstSeen, &note))
	check("zero DateTime is NULL", firstSeen == nil, true)
	check("Nullable NULL", note == nil, true)

	var n int64
	since := time.Date(2026, 1, 1, 0, 1, 30, 0, time.UTC)
	must(conn.QueryRow(ctx, "SELECT count() FROM ad_stats WHERE window_start > $1", since).Scan(&n))
	check("time.Time parameter", n, int64(2))

	rows, err := conn.Query(ctx, "SELECT ad_id FROM ad_stats WHERE clicks > $1 ORDER BY ad_id LIMIT $2", 5, 10)
	must(err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	must(err)
	check("integer parameters", ids, []string{"ad-alpha", "ad-beta"})

	var huge int64
	err = conn.QueryRow(ctx, "SELECT huge FROM ad_stats WHERE ad_id = $1", "ad-beta").Scan(&huge)
	var pgErr *pgconn.PgError
	check("UInt64 past int8 is an error", errors.As(err, &pgErr) && pgErr.Code == "22003", true)

	fmt.Printf("%d passed, 0 failed\n", checks)
}
