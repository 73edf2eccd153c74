/**
 * The primary stack with the switches the stack files leave off: roles through
 * @pulumi/postgresql (roles.manage) and a point-in-time restore beside the primary.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DatabaseAccess, databaseRoles } from "../../components/postgres";
import { stackConfig, stackFileConfig, synth, type Synth } from "../harness";

const postgres = {
  roles: { manage: true },
  logicalReplication: true,
  restore: { suffix: "drill-1201", time: "2026-12-01T09:30:00Z" },
};
const override = { "vega-ha:postgres": JSON.stringify(postgres) };
const config = stackConfig("primary", override);
let primary: Synth;
const secretRequests: Record<string, unknown>[] = [];

beforeAll(async () => {
  const { project, config: fileConfig, secretKeys } = stackFileConfig("primary");
  primary = await synth(() => import("../../index.js"), {
    project,
    stack: "primary",
    config: { ...fileConfig, ...override },
    secretKeys,
    invokes: {
      "aws:secretsmanager/getSecretVersion:getSecretVersion": (inputs) => {
        secretRequests.push(inputs);
        return {
          arn: inputs.secretId,
          id: inputs.secretId,
          secretId: inputs.secretId,
          secretString: JSON.stringify({
            username: "vega_admin",
            password: "from-secrets-manager",
          }),
          versionId: "v1",
          versionStages: ["AWSCURRENT"],
        };
      },
    },
  });
}, 120_000);

type Spec = Record<string, any>;
const inputs = (r: { inputs: unknown }) => r.inputs as Spec;

describe("primary with roles.manage and a restore block", () => {
  it("logs the provider in with the RDS-managed master secret, over TLS, not as superuser", () => {
    const provider = inputs(primary.one("pulumi:providers:postgresql"));
    const instance = primary.one("aws:rds/instance:Instance", "-postgres-instance");
    expect(secretRequests.map((r) => r.secretId)).toEqual([
      expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:rds!/),
    ]);
    expect(provider.superuser).toBe("false");
    expect(provider.sslmode).toBe("require");
    expect(provider.username).toBe(config.postgres.masterUsername);
    expect(provider.password).toBe("[secret]");
    expect(JSON.stringify(primary.resources.map((r) => r.inputs))).not.toContain(
      "from-secrets-manager",
    );
    expect(provider.host).toBe((primary.outputs.postgres as Spec).endpoint);
    expect(instance).toBeDefined();
  });

  it("creates every role without superuser or REPLICATION; replication comes from rds_replication", () => {
    const roles = primary.ofType("postgresql:index/role:Role").map(inputs);
    const expected = databaseRoles(config.postgres);
    expect(roles.map((r) => r.name).sort()).toEqual(expected.map((r) => r.name).sort());
    for (const r of roles) {
      expect(r.superuser).toBe(false);
      expect(r.replication).toBe(false);
      expect(r.createRole).toBe(false);
    }
    const cdc = roles.find((r) => r.name === "vega_cdc")!;
    expect(cdc.roles).toContain("rds_replication");
    expect(roles.find((r) => r.name === "vega_monitoring")!.roles).toEqual(["pg_monitor"]);
    for (const r of roles.filter((r) => r.login)) expect(r.password).toBe("[secret]");
  });

  it("installs pg_stat_statements in the application's database", () => {
    const extension = inputs(primary.one("postgresql:index/extension:Extension"));
    expect(extension).toMatchObject({
      name: "pg_stat_statements",
      database: config.postgres.databaseName,
    });
  });

  it("restores the primary to the given time into a new instance beside it", () => {
    const restored = primary.one("aws:rds/instance:Instance", "-postgres-restore-drill-1201");
    const r = inputs(restored);
    const main = inputs(primary.one("aws:rds/instance:Instance", "-postgres-instance"));
    expect(r.restoreToPointInTime).toEqual({
      sourceDbInstanceIdentifier: main.identifier,
      restoreTime: postgres.restore.time,
    });
    expect(r.identifier).toBe(`${main.identifier}-drill-1201`);
    expect(r.username).toBeUndefined();
    expect(r.kmsKeyId).toBe(main.kmsKeyId);
    expect(restored.region).toBe(config.region);
  });
});

describe("DatabaseAccess with roles.manage", () => {
  const access = () => primary.one("vega:postgres:DatabaseAccess");
  const provider = () => primary.one("pulumi:providers:postgresql");
  const roleUrn = (name: string) =>
    primary.ofType("postgresql:index/role:Role").find((r) => inputs(r).name === name)!.urn;

  it("names its children <access>-<role>, a password and a credentials Secret per login role", () => {
    const logins = databaseRoles(config.postgres).filter((r) => r.login);
    const roles = primary.childRoles(access());
    for (const r of logins)
      expect(roles).toEqual(expect.arrayContaining([`${r.key}-password`, `${r.key}-credentials`]));
    expect(roles).toEqual(
      expect.arrayContaining(["provider", "pg-stat-statements", "grant-migrations-schema"]),
    );
    for (const r of databaseRoles(config.postgres))
      expect(roles).toEqual(expect.arrayContaining([`role-${r.key}`, `grant-${r.key}-database`]));
  });

  it("creates everything inside the database through its own provider", () => {
    for (const type of [
      "postgresql:index/role:Role",
      "postgresql:index/grant:Grant",
      "postgresql:index/extension:Extension",
    ])
      for (const r of primary.ofType(type)) expect(r.provider, r.name).toBe(provider().urn);
  });

  it("creates a role after the roles it is a member of; the schema grant after its owner", () => {
    const backup = primary
      .ofType("postgresql:index/role:Role")
      .find((r) => inputs(r).name === "vega_backup")!;
    expect(backup.dependencies).toContain(roleUrn("vega_readonly"));
    const schemaGrant = primary.one("postgresql:index/grant:Grant", "-grant-migrations-schema");
    expect(schemaGrant.dependencies).toContain(roleUrn("vega_migrations"));
    expect(inputs(schemaGrant)).toMatchObject({
      role: "vega_migrations",
      schema: "public",
      objectType: "schema",
      privileges: ["CREATE", "USAGE"],
    });
    for (const r of primary.ofType("postgresql:index/role:Role"))
      expect(inputs(r).createDatabase).toBe(false);
  });

  it("grants each role its database privileges on the application's database", () => {
    for (const r of databaseRoles(config.postgres))
      expect(
        inputs(primary.one("postgresql:index/grant:Grant", `-grant-${r.key}-database`)),
      ).toMatchObject({
        role: r.name,
        database: config.postgres.databaseName,
        objectType: "database",
        privileges: r.databasePrivileges,
      });
  });

  it("generates 40 letters and digits per login (no quoting trouble in URIs or .pgpass)", () => {
    const passwords = primary
      .childrenOf(access())
      .filter((r) => r.type === "random:index/randomPassword:RandomPassword");
    expect(passwords.length).toBe(databaseRoles(config.postgres).filter((r) => r.login).length);
    for (const p of passwords) expect(inputs(p)).toMatchObject({ length: 40, special: false });
  });

  it("hands each login its connection as PG* keys of an Opaque Secret, TLS required", () => {
    const secret = primary.one("kubernetes:core/v1:Secret", "-app-credentials");
    expect(inputs(secret).type).toBe("Opaque");
    // A Secret's data is secret in state: read it as the engine hands it over.
    expect((secret.plainInputs as Spec).stringData).toMatchObject({
      PGPORT: String(config.postgres.port),
      PGDATABASE: config.postgres.databaseName,
      PGUSER: "vega_app",
      PGSSLMODE: "require",
    });
  });
});

describe("DatabaseAccess's arguments", () => {
  it("refuses roles.manage without the master secret to log in with, before creating anything", () => {
    expect(
      () =>
        new DatabaseAccess("access", {
          region: "us-east-1",
          settings: config.postgres,
          namespace: "vega",
          host: "db.example",
        }),
    ).toThrow("DatabaseAccess: masterSecretArn is required when settings.roles.manage is true");
  });
});

describe("the logical backup's Kubernetes objects", () => {
  const backup = () => primary.one("vega:postgres:LogicalBackup");
  const child = (type: string) => primary.childrenOf(backup()).find((r) => r.type === type)!;

  it("runs as a service account that assumes the backup role, and mounts no API token", () => {
    const account = inputs(child("kubernetes:core/v1:ServiceAccount"));
    const role = child("aws:iam/role:Role");
    expect(account.metadata.annotations).toEqual({
      "eks.amazonaws.com/role-arn": expect.stringMatching(/^arn:aws:iam::\d{12}:role\//),
    });
    expect(account.automountServiceAccountToken).toBe(false);
    expect(inputs(role).description).toBe(
      `${account.metadata.name}: writes metadata/daily/ of the backup vault`,
    );
  });

  it("names its scripts' ConfigMap after the CronJob and labels all three as the logical backup", () => {
    const cronJob = inputs(child("kubernetes:batch/v1:CronJob"));
    const scripts = inputs(child("kubernetes:core/v1:ConfigMap"));
    expect(scripts.metadata.name).toBe(`${cronJob.metadata.name}-scripts`);
    for (const r of [cronJob, scripts, inputs(child("kubernetes:core/v1:ServiceAccount"))])
      expect(r.metadata.labels).toMatchObject({
        "app.kubernetes.io/name": cronJob.metadata.name,
        "app.kubernetes.io/component": "logical-backup",
      });
  });
});
