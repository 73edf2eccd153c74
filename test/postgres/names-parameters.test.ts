/** The database's physical names (RDS's identifier rules) and its parameter group's settings. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { databaseNames, dbParameters } from "../../components/postgres";

/** RDS DB instance identifier: 1–63 letters, digits, hyphens; a letter first; no "--"; no trailing "-". */
const RDS_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;

describe("databaseNames", () => {
  it("keeps a short name as it is, lower-cased, and derives the others from it", () => {
    const n = databaseNames("Vega-Prod-use1-postgres");
    expect(n.main).toBe("vega-prod-use1-postgres");
    expect(n.replica).toBe("vega-prod-use1-postgres-replica");
    expect(n.restored("drill-1201")).toBe("vega-prod-use1-postgres-drill-1201");
    expect(n.finalSnapshot(n.main)).toBe("vega-prod-use1-postgres-final");
    expect(n.logGroups(n.main)).toEqual([
      { type: "postgresql", name: "/aws/rds/instance/vega-prod-use1-postgres/postgresql" },
      { type: "upgrade", name: "/aws/rds/instance/vega-prod-use1-postgres/upgrade" },
    ]);
  });

  it("collapses dashes and drops a trailing one", () => {
    expect(databaseNames("vega--prod---db-").main).toBe("vega-prod-db");
  });

  it("gives identifiers RDS accepts, for any base, each distinct", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,90}$/),
        fc.stringMatching(/^[a-z0-9]{1,20}$/),
        (base, suffix) => {
          const n = databaseNames(base);
          const ids = [n.main, n.replica, n.restored(suffix), n.finalSnapshot(n.main)];
          for (const id of ids) expect(id).toMatch(RDS_IDENTIFIER);
          expect(new Set(ids).size).toBe(ids.length);
        },
      ),
    );
  });
});

describe("dbParameters", () => {
  const base = { slowStatementMs: 750, logicalReplication: false, maxConnections: undefined };
  const byName = (s: Parameters<typeof dbParameters>[0]) =>
    Object.fromEntries(dbParameters(s).map((p) => [p.name, p]));

  it("forces TLS, preloads pg_stat_statements, logs slow statements, lock waits and autovacuum", () => {
    const p = byName(base);
    expect(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.value]))).toEqual({
      "rds.force_ssl": "1",
      shared_preload_libraries: "pg_stat_statements",
      "pg_stat_statements.track": "all",
      log_min_duration_statement: "750",
      log_lock_waits: "1",
      log_autovacuum_min_duration: "10000",
      "rds.logical_replication": "0",
    });
  });

  it("applies the static parameters at the next reboot (RDS refuses immediate for them), the rest at once", () => {
    const p = byName({ ...base, logicalReplication: true, maxConnections: 400 });
    expect(p.max_connections).toEqual({
      name: "max_connections",
      value: "400",
      applyMethod: "pending-reboot",
    });
    expect(p["rds.logical_replication"]).toEqual({
      name: "rds.logical_replication",
      value: "1",
      applyMethod: "pending-reboot",
    });
    expect(p.shared_preload_libraries!.applyMethod).toBe("pending-reboot");
    for (const name of [
      "rds.force_ssl",
      "pg_stat_statements.track",
      "log_min_duration_statement",
      "log_lock_waits",
      "log_autovacuum_min_duration",
    ])
      expect(p[name]!.applyMethod, name).toBe("immediate");
  });
});
