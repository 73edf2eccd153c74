import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import * as random from "@pulumi/random";
import type { PostgresConfig } from "../../config";
import { childName } from "../core";
import { credentialsSecretName, databaseRoles } from "./roles";

export interface DatabaseAccessArgs {
  /** AWS region of the instance (the master secret lives there). Required. */
  region: string;
  /** The `vega-ha:postgres` settings. Required. */
  settings: PostgresConfig;
  /** Namespace of the credential Secrets. Required. */
  namespace: pulumi.Input<string>;
  /** Host name of the writer. Required. */
  host: pulumi.Input<string>;
  /**
   * ARN of the RDS-managed master secret (Secrets Manager): the provider logs in with it when
   * settings.roles.manage is true. Required then.
   */
  masterSecretArn?: pulumi.Input<string>;
  /** Labels of the Secrets. Default none. */
  labels?: Record<string, string>;
}

/**
 * Who connects to the metadata database: a random password and a Kubernetes Secret (PG* keys,
 * for envFrom) per login role, and, when `settings.roles.manage` is true, the roles, grants and
 * the pg_stat_statements extension through @pulumi/postgresql. That provider connects from the
 * machine running `pulumi up`, which needs a network path to the database (README).
 */
export class DatabaseAccess extends pulumi.ComponentResource {
  /** Secret name per role key (e.g. app → vega-metadata-app). */
  public readonly secretNames: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: DatabaseAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.settings.roles.manage && args.masterSecretArn === undefined)
      throw new Error(
        "DatabaseAccess: masterSecretArn is required when settings.roles.manage is true",
      );
    super("vega:postgres:DatabaseAccess", name, {}, opts);
    const s = args.settings;
    const child = { parent: this };
    const roles = databaseRoles(s);

    const passwords = Object.fromEntries(
      roles
        .filter((r) => r.login)
        .map((r) => [
          r.key,
          // Letters and digits only: no quoting trouble in libpq URIs or .pgpass.
          new random.RandomPassword(
            childName(name, `${r.key}-password`),
            { length: 40, special: false },
            child,
          ),
        ]),
    );
    for (const r of roles.filter((r) => r.login)) {
      const secret = new k8s.core.v1.Secret(
        childName(name, `${r.key}-credentials`),
        {
          metadata: {
            name: credentialsSecretName(r.key),
            namespace: args.namespace,
            labels: args.labels,
          },
          type: "Opaque",
          stringData: {
            PGHOST: args.host,
            PGPORT: String(s.port),
            PGDATABASE: s.databaseName,
            PGUSER: r.name,
            PGPASSWORD: passwords[r.key]!.result,
            // rds.force_ssl refuses anything else.
            PGSSLMODE: "require",
          },
        },
        child,
      );
      this.secretNames[r.key] = secret.metadata.name;
    }

    if (s.roles.manage) {
      const master = aws.secretsmanager
        .getSecretVersionOutput(
          { region: args.region, secretId: args.masterSecretArn! },
          { parent: this },
        )
        .apply((v) => JSON.parse(v.secretString) as { username: string; password: string });
      const provider = new postgresql.Provider(
        childName(name, "provider"),
        {
          host: args.host,
          port: s.port,
          database: s.databaseName,
          username: master.username,
          password: pulumi.secret(master.password),
          // RDS has no superuser; rds.force_ssl refuses plain connections.
          superuser: false,
          sslmode: "require",
          connectTimeout: 15,
        },
        child,
      );
      const inDb = { parent: this, provider };
      new postgresql.Extension(
        childName(name, "pg-stat-statements"),
        { name: "pg_stat_statements", database: s.databaseName },
        inDb,
      );
      const created: Record<string, postgresql.Role> = {};
      for (const r of roles) {
        const depends = r.memberOf.map((m) => created[m]).filter((x) => x !== undefined);
        const role = new postgresql.Role(
          childName(name, `role-${r.key}`),
          {
            name: r.name,
            login: r.login,
            password: r.login ? passwords[r.key]!.result : undefined,
            roles: r.memberOf,
            superuser: false,
            createRole: false,
            createDatabase: false,
            replication: false,
          },
          { ...inDb, dependsOn: depends },
        );
        created[r.name] = role;
        new postgresql.Grant(
          childName(name, `grant-${r.key}-database`),
          {
            role: role.name,
            database: s.databaseName,
            objectType: "database",
            privileges: r.databasePrivileges,
          },
          inDb,
        );
      }
      const migrations = roles.find((r) => r.key === "migrations")!;
      // The migrations role owns what it creates in public; everyone else is granted by role.
      new postgresql.Grant(
        childName(name, "grant-migrations-schema"),
        {
          role: migrations.name,
          database: s.databaseName,
          schema: "public",
          objectType: "schema",
          privileges: ["CREATE", "USAGE"],
        },
        { ...inDb, dependsOn: [created[migrations.name]!] },
      );
    }
    this.registerOutputs({ secretNames: this.secretNames });
  }
}
