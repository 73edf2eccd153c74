/** The DB parameter group's settings, rendered from config (same in both regions). */
import type { PostgresConfig } from "../../config";

export interface DbParameter {
  name: string;
  value: string;
  /** Static parameters only take effect after a reboot; RDS refuses "immediate" for them. */
  applyMethod: "immediate" | "pending-reboot";
}

/** Parameters RDS marks static (a change waits for a reboot). */
const STATIC = new Set(["shared_preload_libraries", "rds.logical_replication", "max_connections"]);

const parameter = (name: string, value: string | number): DbParameter => ({
  name,
  value: String(value),
  applyMethod: STATIC.has(name) ? "pending-reboot" : "immediate",
});

/**
 * TLS only (`rds.force_ssl`), pg_stat_statements preloaded, statements slower than the
 * configured threshold and lock waits longer than deadlock_timeout (1 s) logged, logical
 * replication as configured, max_connections when configured.
 */
export function dbParameters(
  s: Pick<PostgresConfig, "slowStatementMs" | "logicalReplication" | "maxConnections">,
): DbParameter[] {
  return [
    // Only when configured: otherwise RDS's default formula (config/postgres.ts).
    ...(s.maxConnections === undefined ? [] : [parameter("max_connections", s.maxConnections)]),
    parameter("rds.force_ssl", 1),
    parameter("shared_preload_libraries", "pg_stat_statements"),
    parameter("pg_stat_statements.track", "all"),
    parameter("log_min_duration_statement", s.slowStatementMs),
    parameter("log_lock_waits", 1),
    parameter("log_autovacuum_min_duration", 10_000),
    parameter("rds.logical_replication", s.logicalReplication ? 1 : 0),
  ];
}
