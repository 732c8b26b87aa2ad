// pgjdbc 42.7 with default settings against the Tollbooth Postgres-wire endpoint: prepared
// statements (server-side after the fifth run, with binary results), fetch-size cursors,
// native Java types, and the DatabaseMetaData calls DBeaver and Metabase make. Connection
// settings come from the PG* environment variables; the fixture table is ad_stats
// (test/pg/fixture.ts). Run with the driver jar on the class path; exits non-zero on failure.
import java.math.BigDecimal;
import java.sql.*;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.*;

public class PgjdbcCheck {
  static int checks = 0;

  static void check(String name, Object got, Object want) {
    if (!Objects.deepEquals(got, want)) {
      System.out.println("FAIL " + name + ": got " + got + ", want " + want);
      System.exit(1);
    }
    checks++;
  }

  static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> out = new ArrayList<>();
    while (rs.next()) out.add(rs.getString(name));
    return out;
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/" + System.getenv("PGDATABASE");
    try (Connection conn = DriverManager.getConnection(url, System.getenv("PGUSER"), System.getenv("PGPASSWORD"))) {
      check("isValid", conn.isValid(5), true);
      String sql = "SELECT ad_id, clicks, small, delta, ratio, price, day, window_start, first_seen, note, tags FROM ad_stats WHERE ad_id = ?";
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        for (int run = 0; run < 7; run++) { // from the fifth run pgjdbc uses a named statement and binary results
          ps.setString(1, "ad-alpha");
          try (ResultSet rs = ps.executeQuery()) {
            check("row", rs.next(), true);
            check("clicks int8", rs.getObject("clicks"), 14L);
            check("small int2", rs.getObject("small"), 1);
            check("delta int4", rs.getObject("delta"), -3);
            check("ratio float8", rs.getObject("ratio"), 0.5);
            check("price numeric", rs.getBigDecimal("price"), new BigDecimal("12.34"));
            check("day date", rs.getObject("day", LocalDate.class), LocalDate.of(2026, 1, 1));
            check("window_start timestamptz", rs.getObject("window_start", OffsetDateTime.class), OffsetDateTime.of(2026, 1, 1, 0, 1, 0, 0, ZoneOffset.UTC));
            check("note", rs.getString("note"), "first");
            check("tags text[]", (String[]) rs.getArray("tags").getArray(), new String[] {"a", "b"});
          }
        }
      }
      try (PreparedStatement ps = conn.prepareStatement("SELECT first_seen, note FROM ad_stats WHERE clicks = ?")) {
        ps.setLong(1, 9);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          check("zero DateTime is NULL", rs.getTimestamp(1), null);
          check("Nullable is NULL", rs.getString(2), null);
        }
      }
      try (PreparedStatement ps = conn.prepareStatement("SELECT count() FROM ad_stats WHERE window_start > ?")) {
        ps.setObject(1, OffsetDateTime.of(2026, 1, 1, 0, 1, 30, 0, ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          check("timestamptz parameter", rs.getLong(1), 2L);
        }
      }
      conn.setAutoCommit(false); // a fetch size only makes pgjdbc use a portal inside a transaction
      try (PreparedStatement ps = conn.prepareStatement("SELECT ad_id FROM ad_stats ORDER BY ad_id")) {
        ps.setFetchSize(1);
        try (ResultSet rs = ps.executeQuery()) {
          check("fetch size (PortalSuspended)", column(rs, "ad_id"), List.of("ad-alpha", "ad-beta", "ad-gamma"));
        }
      }
      conn.commit();
      conn.setAutoCommit(true);
      try (PreparedStatement ps = conn.prepareStatement("SELECT huge FROM ad_stats WHERE ad_id = ?")) {
        ps.setString(1, "ad-beta");
        ps.executeQuery();
        check("UInt64 past int8 raises", "no error", "error");
      } catch (SQLException e) {
        check("UInt64 past int8 is 22003", e.getSQLState(), "22003");
      }
      DatabaseMetaData md = conn.getMetaData();
      check("getCatalogs", column(md.getCatalogs(), "TABLE_CAT"), List.of(System.getenv("PGDATABASE")));
      check("getSchemas has public", column(md.getSchemas(), "TABLE_SCHEM").contains("public"), true);
      check("getTables", column(md.getTables(null, "public", "ad_%", new String[] {"TABLE"}), "TABLE_NAME"), List.of("ad_stats"));
      ResultSet cols = md.getColumns(null, "public", "ad_stats", "%");
      Map<String, String> types = new LinkedHashMap<>();
      while (cols.next()) types.put(cols.getString("COLUMN_NAME"), cols.getInt("DATA_TYPE") + " " + cols.getString("TYPE_NAME") + " " + cols.getString("IS_NULLABLE"));
      check("getColumns names", new ArrayList<>(types.keySet()).subList(0, 3), List.of("ad_id", "clicks", "small"));
      // pgjdbc reports timestamptz as Types.TIMESTAMP, as it does for a real Postgres
      check("getColumns types", List.of(types.get("clicks"), types.get("window_start"), types.get("day"), types.get("note")),
          List.of(Types.BIGINT + " int8 NO", Types.TIMESTAMP + " timestamptz NO", Types.DATE + " date NO", Types.VARCHAR + " text YES"));
      check("getPrimaryKeys", column(md.getPrimaryKeys(null, "public", "ad_stats"), "COLUMN_NAME"), List.of("ad_id"));
      check("getTypeInfo has int8", column(md.getTypeInfo(), "TYPE_NAME").contains("int8"), true);
      System.out.println(checks + " passed, 0 failed");
    }
  }
}
