/**
 * The metadata database in the real stacks: each stack test file synthesises once and calls
 * the suite for its role. Numbers come from config (parsed with the seed defaults) and the seed
 * itself, never from copies.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parameterGroupFamily, type StackConfig, type StackOutputs } from "../../config";
import { databaseRoles, SCRIPT_FILES, SCRIPTS_SOURCE_DIR } from "../../components/postgres";
import { computedOutputs } from "../../tools/synth/computed";
import { REDACTED, type RecordedResource, type Synth } from "../harness";
import { seedRetentionDays } from "../harness/seed";

type Spec = Record<string, any>;
const INSTANCE = "aws:rds/instance:Instance";

const inputs = (r: { inputs: unknown }) => r.inputs as Spec;

/** Seed 16.2: the WAL archive row's retention (days). */
const seedWalDays = () => seedRetentionDays()["WAL 归档"]!;

function checkCommonInstance(synth: Synth, instance: RecordedResource, config: StackConfig) {
  const key = synth.one("aws:kms/key:Key", "-postgres-key");
  const keyArn = computedOutputs({
    type: key.type,
    name: key.name,
    inputs: key.inputs,
    region: key.region!,
  }).arn;
  const i = inputs(instance);
  expect(i.region).toBe(config.region);
  expect(i.publiclyAccessible).toBe(false);
  expect(i.storageEncrypted).toBe(true);
  expect(i.storageType).toBe("gp3");
  expect(i.iamDatabaseAuthenticationEnabled).toBe(true);
  expect(i.performanceInsightsEnabled).toBe(true);
  expect(i.performanceInsightsRetentionPeriod).toBe(
    config.postgres.performanceInsightsRetentionDays,
  );
  expect(i.performanceInsightsKmsKeyId).toBe(keyArn);
  expect(i.deletionProtection).toBe(true);
  expect(i.enabledCloudwatchLogsExports).toEqual(["postgresql", "upgrade"]);
  expect(instance.protect).toBe(true);
  // Log groups with retention exist before the instance exports to them.
  const groups = synth
    .ofType("aws:cloudwatch/logGroup:LogGroup")
    .filter((g) => String(inputs(g).name).startsWith(`/aws/rds/instance/${i.identifier}/`));
  expect(groups.map((g) => inputs(g).name).sort()).toEqual(
    ["postgresql", "upgrade"].map((t) => `/aws/rds/instance/${i.identifier}/${t}`),
  );
  for (const g of groups) {
    expect(inputs(g).retentionInDays).toBe(config.postgres.logRetentionDays);
    expect(instance.dependencies).toContain(g.urn);
  }
  return keyArn as string;
}

/** AWS "Hardware specifications for DB instance classes": memory, GiB, of the classes the stacks use. */
const AWS_CLASS_GIB: Record<string, number> = {
  "db.r6g.large": 16,
  "db.r6g.xlarge": 32,
  "db.r6g.2xlarge": 64,
  "db.m6g.large": 8,
  "db.m6g.xlarge": 16,
};

/**
 * The connections alarm of each instance: DatabaseConnections of that very DBInstanceIdentifier,
 * above dbConnectionsPercent of max_connections, computed here from the class's memory with
 * RDS's default LEAST(DBInstanceClassMemory / 9531392, 5000), or the configured max_connections.
 */
function checkConnectionAlarms(synth: Synth, config: StackConfig, identifiers: string[]) {
  const gib = AWS_CLASS_GIB[config.postgres.instanceClass];
  if (config.postgres.maxConnections === undefined && gib === undefined)
    throw new Error(`add ${config.postgres.instanceClass}'s memory to AWS_CLASS_GIB`);
  const max =
    config.postgres.maxConnections ?? Math.min(Math.floor((gib! * 1024 ** 3) / 9531392), 5000);
  const alarms = synth
    .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
    .map(inputs)
    .filter((a) => a.namespace === "AWS/RDS" && a.metricName === "DatabaseConnections");
  expect(alarms.map((a) => a.dimensions.DBInstanceIdentifier).sort()).toEqual(
    [...identifiers].sort(),
  );
  for (const a of alarms) {
    expect(a.threshold).toBe(
      Math.floor((max * config.observability.thresholds.dbConnectionsPercent) / 100),
    );
    expect(a.comparisonOperator).toBe("GreaterThanThreshold");
    expect(a.region).toBe(config.region);
  }
}

function checkStandalone(i: Spec, config: StackConfig) {
  expect(i.multiAz).toBe(true);
  expect(i.backupRetentionPeriod).toBe(config.postgres.backupRetentionDays);
  expect(i.backupRetentionPeriod).toBeGreaterThanOrEqual(seedWalDays());
  expect(i.backupWindow).toBe(config.postgres.backupWindow);
  expect(i.skipFinalSnapshot).toBe(false);
  expect(i.finalSnapshotIdentifier).toBe(`${i.identifier}-final`);
  expect(i.manageMasterUserPassword).toBe(true);
  expect(i.password).toBeUndefined();
}

function checkParameterGroup(synth: Synth, config: StackConfig) {
  const group = synth.one("aws:rds/parameterGroup:ParameterGroup", "-postgres-params");
  const g = inputs(group);
  expect(g.family).toBe(parameterGroupFamily(config.postgres.engineMajorVersion));
  const value = (name: string) =>
    (g.parameters as Spec[]).find((p) => p.name === name)?.value as string | undefined;
  expect(value("rds.force_ssl")).toBe("1");
  expect(value("shared_preload_libraries")).toContain("pg_stat_statements");
  expect(value("log_min_duration_statement")).toBe(String(config.postgres.slowStatementMs));
  expect(value("log_lock_waits")).toBe("1");
  expect(value("rds.logical_replication")).toBe(config.postgres.logicalReplication ? "1" : "0");
  const staticOnes = (g.parameters as Spec[]).filter((p) =>
    ["shared_preload_libraries", "rds.logical_replication"].includes(p.name),
  );
  expect(staticOnes.every((p) => p.applyMethod === "pending-reboot")).toBe(true);
}

function checkNetwork(synth: Synth, config: StackConfig) {
  const subnets = inputs(synth.one("aws:rds/subnetGroup:SubnetGroup", "-postgres-subnets"));
  expect(subnets.subnetIds).toEqual(config.platform.network!.privateSubnetIds);
  const rules = synth
    .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    .filter((r) => r.name.includes("-postgres-sg-in-"))
    .map(inputs);
  expect(rules.map((r) => r.referencedSecurityGroupId)).toEqual(
    config.postgres.clientSecurityGroupIds ?? [config.edge.targetSecurityGroupId],
  );
  for (const r of rules) {
    expect([r.fromPort, r.toPort]).toEqual([config.postgres.port, config.postgres.port]);
    expect(r.cidrIpv4).toBeUndefined();
  }
}

function checkLogicalBackup(synth: Synth, config: StackConfig, vault: Spec) {
  const cronJob = synth.one("kubernetes:batch/v1:CronJob", "-postgres-backup-cronjob");
  const c = inputs(cronJob);
  // The alert on the last successful backup watches this very CronJob.
  const rules = inputs(synth.one("kubernetes:monitoring.coreos.com/v1:PrometheusRule"));
  const alert = (rules.spec.groups as Spec[])
    .flatMap((g) => g.rules as Spec[])
    .find((r) => r.alert === "VegaLogicalBackupTooOld")!;
  expect(alert.expr).toContain(`cronjob="${c.metadata.name}"`);
  expect(c.metadata.namespace).toBe(config.kubernetes.namespace);
  const spec = c.spec;
  const [hour, minute] = config.postgres.logicalBackup.startUtc.split(":").map(Number);
  expect(spec.schedule).toBe(`${minute} ${hour} * * *`);
  expect(spec.timeZone).toBe("Etc/UTC");
  expect(spec.concurrencyPolicy).toBe("Forbid");
  expect(spec.startingDeadlineSeconds).toBeGreaterThan(0);
  expect(spec.successfulJobsHistoryLimit).toBeGreaterThan(0);
  expect(spec.failedJobsHistoryLimit).toBeGreaterThan(0);
  const job = spec.jobTemplate.spec;
  expect(job.activeDeadlineSeconds).toBe(config.postgres.logicalBackup.deadlineSeconds);
  const pod = job.template.spec;
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(pod.restartPolicy).toBe("Never");
  expect(pod.initContainers.map((x: Spec) => x.name)).toEqual(["dump"]);
  expect(pod.containers.map((x: Spec) => x.name)).toEqual(["upload"]);
  expect(pod.containers[0].command).toContain(vault.bucketName);
  expect(pod.containers[0].command).toContain("metadata/daily/");
  // Credentials come from the backup role's Secret, never as literals.
  expect(pod.initContainers[0].envFrom).toEqual([{ secretRef: { name: "vega-metadata-backup" } }]);
  for (const container of [...pod.initContainers, ...pod.containers])
    for (const e of container.env ?? []) expect(e.name).not.toMatch(/PASSWORD/);

  // The scripts in the ConfigMap are the repository's files.
  const scripts = inputs(synth.one("kubernetes:core/v1:ConfigMap", "-postgres-backup-scripts"));
  expect(Object.keys(scripts.data).sort()).toEqual([...SCRIPT_FILES].sort());
  for (const f of SCRIPT_FILES)
    expect(scripts.data[f]).toBe(readFileSync(path.join(SCRIPTS_SOURCE_DIR, f), "utf8"));

  // IRSA: only this namespace's service account, and writes under metadata/daily/ only.
  const account = inputs(
    synth.one("kubernetes:core/v1:ServiceAccount", "-postgres-backup-service-account"),
  );
  expect(pod.serviceAccountName).toBe(account.metadata.name);
  const trust = JSON.parse(
    inputs(synth.one("aws:iam/role:Role", "-postgres-backup-role")).assumeRolePolicy,
  );
  const cluster = config.platform.cluster!;
  expect(trust.Statement[0].Principal.Federated).toBe(cluster.oidcProviderArn);
  expect(trust.Statement[0].Condition.StringEquals[`${cluster.oidcProviderUrl}:sub`]).toBe(
    `system:serviceaccount:${config.kubernetes.namespace}:${account.metadata.name}`,
  );
  const policy = JSON.parse(
    inputs(synth.one("aws:iam/rolePolicy:RolePolicy", "-postgres-backup-role-policy")).policy,
  );
  const s3 = policy.Statement.filter((s: Spec) =>
    [s.Action].flat().some((a: string) => a.startsWith("s3:")),
  );
  expect(s3.map((s: Spec) => s.Resource)).toEqual([`${vault.bucketArn}/metadata/daily/*`]);
  const kms = policy.Statement.filter((s: Spec) =>
    [s.Action].flat().some((a: string) => a.startsWith("kms:")),
  );
  expect(kms.map((s: Spec) => s.Resource)).toEqual([vault.kmsKeyArn]);
}

function checkCredentials(synth: Synth) {
  const secrets = synth
    .ofType("kubernetes:core/v1:Secret")
    .filter((s) => s.name.includes("-postgres-access-"));
  expect(secrets.map((s) => inputs(s).metadata.name).sort()).toContain("vega-metadata-app");
  const everything = JSON.stringify(synth.resources.map((r) => r.inputs));
  const keys = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSSLMODE"];
  for (const secret of secrets) {
    // Redacted leaf by leaf: the Secret keeps its shape (the PG* keys envFrom reads).
    expect(Object.keys(inputs(secret).stringData).sort()).toEqual([...keys].sort());
    expect(inputs(secret).stringData.PGPASSWORD).toBe(REDACTED);
    expect(secret.secretPaths).toContain("stringData.PGPASSWORD");
  }
  for (const password of synth
    .ofType("random:index/randomPassword:RandomPassword")
    .filter((p) => p.name.includes("-postgres-access-"))) {
    const value = String(
      computedOutputs({
        type: password.type,
        name: password.name,
        inputs: password.inputs,
        region: "",
      }).result,
    );
    expect(everything).not.toContain(value);
  }
}

export function describePostgresInPrimary(get: () => Synth, config: StackConfig) {
  describe("primary stack: metadata database (seed 16.1/16.2, 17.1)", () => {
    it("manages the roles the stack file asks for (postgres.roles.manage), without superuser", () => {
      const synth = get();
      const roles = synth.ofType("postgresql:index/role:Role").map(inputs);
      expect(config.postgres.roles.manage).toBe(true);
      expect(roles.map((r) => r.name).sort()).toEqual(
        databaseRoles(config.postgres)
          .map((r) => r.name)
          .sort(),
      );
      const provider = inputs(synth.one("pulumi:providers:postgresql"));
      expect(provider.superuser).toBe("false");
      expect(provider.sslmode).toBe("require");
      expect(provider.password).toBe(REDACTED);
      expect(synth.one("postgresql:index/extension:Extension")).toBeDefined();
    });

    it("runs a Multi-AZ gp3 instance, encrypted with its own key, backups ≥ the seed's WAL 7 days", () => {
      const synth = get();
      const main = synth.one(INSTANCE, "-postgres-instance");
      const i = inputs(main);
      const keyArn = checkCommonInstance(synth, main, config);
      checkStandalone(i, config);
      expect(i.kmsKeyId).toBe(keyArn);
      expect(i.masterUserSecretKmsKeyId).toBe(keyArn);
      expect(i.engine).toBe("postgres");
      expect(i.engineVersion).toBe(String(config.postgres.engineMajorVersion));
      expect(i.dbName).toBe(config.postgres.databaseName);
      expect(i.replicateSourceDb).toBeUndefined();
    });

    it("has an in-region replica of it, which inherits user, database and password", () => {
      const synth = get();
      const main = inputs(synth.one(INSTANCE, "-postgres-instance"));
      const replica = synth.one(INSTANCE, "-postgres-replica");
      const r = inputs(replica);
      checkCommonInstance(synth, replica, config);
      expect(r.replicateSourceDb).toBe(main.identifier);
      for (const field of ["username", "dbName", "password", "manageMasterUserPassword"])
        expect(r[field], field).toBeUndefined();
      expect(r.skipFinalSnapshot).toBe(true);
    });

    it("uses a parameter group of the engine's family: TLS only, pg_stat_statements, slow and lock-wait logging", () =>
      checkParameterGroup(get(), config));

    it("sits in the private subnets, reachable from the cluster nodes' security group only", () =>
      checkNetwork(get(), config));

    it("runs the daily pg_dump as a CronJob the backup-age alert watches, writing metadata/daily/ only", () => {
      const synth = get();
      checkLogicalBackup(synth, config, synth.outputs.backup);
    });

    it("keeps every credential in a Secret, generated and never in plain text", () =>
      checkCredentials(get()));

    it("alarms on CPU and storage of both instances and on the replica's lag (seed WAL RPO)", () => {
      const alarms = get()
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .map(inputs)
        .filter((a) => a.namespace === "AWS/RDS");
      const byInstance = (id: string) =>
        alarms.filter((a) => a.dimensions.DBInstanceIdentifier === id).map((a) => a.metricName);
      const main = inputs(get().one(INSTANCE, "-postgres-instance")).identifier;
      const replica = inputs(get().one(INSTANCE, "-postgres-replica")).identifier;
      expect(byInstance(main).sort()).toEqual([
        "CPUUtilization",
        "DatabaseConnections",
        "FreeStorageSpace",
      ]);
      expect(byInstance(replica).sort()).toEqual([
        "CPUUtilization",
        "DatabaseConnections",
        "FreeStorageSpace",
        "ReplicaLag",
      ]);
      const lag = alarms.find((a) => a.metricName === "ReplicaLag")!;
      expect(lag.threshold).toBe(config.observability.thresholds.dbReplicaLagSeconds);
    });

    it("alarms on each instance's connections at a share of max_connections derived from its class", () =>
      checkConnectionAlarms(get(), config, [
        inputs(get().one(INSTANCE, "-postgres-instance")).identifier,
        inputs(get().one(INSTANCE, "-postgres-replica")).identifier,
      ]));

    it("points the Data Stores dashboard's PostgreSQL panels at these instances", () => {
      const synth = get();
      const configMap = synth.one("kubernetes:core/v1:ConfigMap", "-dashboard-vega-data-stores");
      const dashboard = JSON.parse(
        Object.values(inputs(configMap).data as Record<string, string>)[0]!,
      );
      const variable = dashboard.templating.list.find((v: Spec) => v.name === "dbinstance");
      const ids = [
        inputs(synth.one(INSTANCE, "-postgres-instance")).identifier,
        inputs(synth.one(INSTANCE, "-postgres-replica")).identifier,
      ];
      expect(variable.query).toBe(ids.join(","));
      expect(variable.current.value).toBe(ids[0]);
      const rdsTargets = (dashboard.panels as Spec[])
        .flatMap((p) => p.targets ?? [])
        .filter((t: Spec) => t.namespace === "AWS/RDS");
      expect(rdsTargets.length).toBe(4);
      for (const t of rdsTargets)
        expect(t.dimensions).toEqual({ DBInstanceIdentifier: "$dbinstance" });
    });

    it("exports endpoint, port, ARN and the application's Secret in the contract", () => {
      const synth = get();
      const main = synth.one(INSTANCE, "-postgres-instance");
      const out = synth.outputs.postgres as NonNullable<StackOutputs["postgres"]>;
      expect(out.instanceArn).toBe(
        `arn:aws:rds:${config.region}:123456789012:db:${inputs(main).identifier}`,
      );
      expect(out.port).toBe(config.postgres.port);
      expect(out.writable).toBe(true);
      expect(out.appCredentialsSecret).toBe("vega-metadata-app");
    });
  });
}

export function describePostgresInDr(get: () => Synth, config: StackConfig, primary: StackOutputs) {
  describe("dr stack: cross-region replica of the primary's instance (seed 16.1 streaming replication)", () => {
    it("replicates the primary's ARN from the contract, encrypted with a key of the DR region", () => {
      const synth = get();
      const replica = synth.one(INSTANCE, "-postgres-instance");
      const r = inputs(replica);
      const keyArn = checkCommonInstance(synth, replica, config);
      expect(r.replicateSourceDb).toBe(primary.postgres!.instanceArn);
      expect(r.kmsKeyId).toBe(keyArn);
      expect(keyArn.split(":")[3]).toBe(config.region);
      expect(r.dbSubnetGroupName).toBeDefined();
      for (const field of ["username", "dbName", "password", "manageMasterUserPassword"])
        expect(r[field], field).toBeUndefined();
    });

    it("replicates the primary's automated backups into DR (point-in-time recovery there)", () => {
      const synth = get();
      const replication = synth.one(
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
      );
      const r = inputs(replication);
      expect(replication.region).toBe(config.region);
      expect(r.sourceDbInstanceArn).toBe(primary.postgres!.instanceArn);
      expect(r.kmsKeyId).toBe(inputs(synth.one(INSTANCE, "-postgres-instance")).kmsKeyId);
      expect(r.retentionPeriod).toBe(config.postgres.backupRetentionDays);
      expect(replication.retainOnDelete).toBe(true);
    });

    it("uses a DR parameter group of the same family, and the DR private subnets", () => {
      checkParameterGroup(get(), config);
      checkNetwork(get(), config);
    });

    it("alarms on the DR replica's connections, lag, CPU and storage", () => {
      const synth = get();
      const id = inputs(synth.one(INSTANCE, "-postgres-instance")).identifier;
      checkConnectionAlarms(synth, config, [id]);
      const metrics = synth
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .map(inputs)
        .filter((a) => a.namespace === "AWS/RDS" && a.dimensions.DBInstanceIdentifier === id)
        .map((a) => a.metricName);
      expect(metrics.sort()).toEqual([
        "CPUUtilization",
        "DatabaseConnections",
        "FreeStorageSpace",
        "ReplicaLag",
      ]);
    });

    it("runs no pg_dump and holds no credentials while it is a replica", () => {
      expect(get().ofType("vega:postgres:LogicalBackup")).toHaveLength(0);
      expect(get().ofType("vega:postgres:DatabaseAccess")).toHaveLength(0);
      expect(get().outputs.postgres.writable).toBe(false);
    });
  });
}

export function describePostgresPromoted(get: () => Synth, config: StackConfig) {
  describe("dr stack promoted: the replica becomes a standalone writer", () => {
    it("keeps the same instance without replicateSourceDb: Multi-AZ, backups on, final snapshot", () => {
      const synth = get();
      const main = synth.one(INSTANCE, "-postgres-instance");
      const i = inputs(main);
      checkCommonInstance(synth, main, config);
      checkStandalone(i, config);
      expect(i.replicateSourceDb).toBeUndefined();
      expect(i.username).toBeUndefined();
    });

    it("alarms on the promoted instance's connections", () => {
      const synth = get();
      checkConnectionAlarms(synth, config, [
        inputs(synth.one(INSTANCE, "-postgres-instance")).identifier,
      ]);
    });

    it("stops backups replication and takes its own daily pg_dump", () => {
      const synth = get();
      expect(
        synth.ofType(
          "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        ),
      ).toHaveLength(0);
      checkLogicalBackup(synth, config, synth.outputs.backup);
      checkCredentials(synth);
    });
  });
}
