/**
 * The database's roles as data: who logs in, what each is a member of. RDS gives no superuser,
 * so privileges come from predefined roles (pg_read_all_data / pg_write_all_data, PostgreSQL
 * 14+; pg_monitor) and, for logical replication, RDS's `rds_replication` role: on RDS a role
 * cannot be created with REPLICATION.
 */
import type { PostgresConfig } from "../../config";

export interface DatabaseRoleSpec {
  /** Short key: names the Kubernetes Secret `vega-metadata-<key>` of a login role. */
  key: string;
  /** Role name in PostgreSQL. */
  name: string;
  login: boolean;
  /** Roles it is granted (membership). */
  memberOf: string[];
  /** Privileges on the database itself. */
  databasePrivileges: string[];
  why: string;
}

/** The Kubernetes Secret of a login role's credentials (PG* keys, for envFrom). */
export const credentialsSecretName = (key: string) => `vega-metadata-${key}`;

/** The role the application (worker pools) uses. */
export const APP_ROLE_KEY = "app";
/** The role the logical backup uses. */
export const BACKUP_ROLE_KEY = "backup";

export function databaseRoles(s: Pick<PostgresConfig, "logicalReplication">): DatabaseRoleSpec[] {
  const roles: DatabaseRoleSpec[] = [
    {
      key: "migrations",
      name: "vega_migrations",
      login: true,
      memberOf: [],
      databasePrivileges: ["CONNECT", "CREATE", "TEMPORARY"],
      why: "owns the schema: runs the application's migrations",
    },
    {
      key: APP_ROLE_KEY,
      name: "vega_app",
      login: true,
      memberOf: ["pg_read_all_data", "pg_write_all_data"],
      databasePrivileges: ["CONNECT", "TEMPORARY"],
      why: "the workers: reads and writes rows, no DDL",
    },
    {
      key: "readonly",
      name: "vega_readonly",
      login: false,
      memberOf: ["pg_read_all_data"],
      databasePrivileges: ["CONNECT"],
      why: "group for read-only users",
    },
    {
      key: BACKUP_ROLE_KEY,
      name: "vega_backup",
      login: true,
      memberOf: ["vega_readonly"],
      databasePrivileges: ["CONNECT"],
      why: "the daily pg_dump: reads everything, writes nothing",
    },
    {
      key: "monitoring",
      name: "vega_monitoring",
      login: true,
      memberOf: ["pg_monitor"],
      databasePrivileges: ["CONNECT"],
      why: "metrics exporters: pg_stat_* views",
    },
  ];
  if (s.logicalReplication)
    roles.push({
      key: "cdc",
      name: "vega_cdc",
      login: true,
      memberOf: ["rds_replication", "pg_read_all_data"],
      databasePrivileges: ["CONNECT"],
      why: "change data capture over logical replication (rds_replication, not REPLICATION)",
    });
  return roles;
}
