/**
 * The database's part of the offline plan (components/postgres/plan.ts) on hand-made records:
 * the scripts as artifacts, the instances table, the backup line, and the objective rows the
 * real stacks do not show (Multi-AZ, a replica without an alarm, a CronJob of another owner).
 */
import { describe, expect, it } from "vitest";
import { SEED_BACKUP_OBJECTIVES, SEED_RECOVERY_PROCEDURES } from "../../config";
import {
  postgresObjectives,
  postgresPlanExtension,
  RDS_MULTI_AZ_FAILOVER_SECONDS,
} from "../../components/postgres/plan";
import { planContext, recordedResource } from "../harness/records";

const INSTANCE = "aws:rds/instance:Instance";
const BACKUP = recordedResource("vega:postgres:LogicalBackup", "db-backup", {});
const OTHER = recordedResource("vega:other:Owner", "other", {});
const under = (parent: typeof BACKUP, type: string, name: string, inputs: object) =>
  recordedResource(type, name, inputs as Record<string, unknown>, { parent: parent.urn });
const cronJob = (parent: typeof BACKUP, schedule?: string) =>
  under(parent, "kubernetes:batch/v1:CronJob", `${parent.name}-cron`, {
    metadata: { name: `${parent.name}-pg-dump` },
    spec: {
      ...(schedule ? { schedule } : {}),
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      jobTemplate: { spec: { activeDeadlineSeconds: 3600 } },
    },
  });
const writer = recordedResource(
  INSTANCE,
  "db",
  {
    identifier: "vega-db",
    instanceClass: "db.m6g.large",
    multiAz: true,
    backupRetentionPeriod: 7,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:05:00-sun:06:00",
    deletionProtection: true,
  },
  { region: "us-east-1" },
);
const replica = recordedResource(
  INSTANCE,
  "replica",
  {
    identifier: "vega-db-replica",
    replicateSourceDb: "vega-db",
    instanceClass: "db.m6g.large",
    maintenanceWindow: "sun:06:00-sun:07:00",
  },
  { region: "us-east-1" },
);
const restored = recordedResource(
  INSTANCE,
  "restored",
  { identifier: "vega-db-restored", restoreToPointInTime: {} },
  { region: "us-east-1" },
);

describe("the PostgreSQL plan section", () => {
  const resources = [writer, replica, restored, BACKUP, cronJob(BACKUP, "0 2 * * *"), OTHER];
  const [section, ...more] = postgresPlanExtension.sections!(planContext(resources));

  it("is one section, a table with a row per instance and its role", () => {
    expect(more).toEqual([]);
    expect(section!.title).toBe("PostgreSQL (metadata database)");
    const lines = section!.markdown.split("\n");
    expect(lines[0]).toBe(
      "| identifier | region | role | class | Multi-AZ | backup days | backup window | maintenance | deletion protection |",
    );
    expect(lines[1]).toBe("|---|---|---|---|---|---|---|---|---|");
    expect(lines.slice(2, 5)).toEqual([
      "| `vega-db` | us-east-1 | writer | db.m6g.large | yes | 7 | 03:00-04:00 | sun:05:00-sun:06:00 | yes |",
      "| `vega-db-replica` | us-east-1 | replica of `vega-db` | db.m6g.large | no | - | - | sun:06:00-sun:07:00 | no |",
      "| `vega-db-restored` | us-east-1 | restored to the latest restorable time | - | no | - | - | - | no |",
    ]);
    expect(lines[5]).toBe("");
  });

  it("describes the logical backup's CronJob, and no CronJob of another owner", () => {
    const scripts = under(BACKUP, "kubernetes:core/v1:ConfigMap", "db-backup-scripts", {
      data: {},
    });
    const withOther = [...resources, scripts, cronJob(OTHER, "0 * * * *")];
    const lines = postgresPlanExtension.sections!(planContext(withOther))[0]!.markdown.split("\n");
    expect(lines.filter((l) => l.startsWith("Logical backup"))).toEqual([
      "Logical backup: CronJob `db-backup-pg-dump`, `0 2 * * *` (Etc/UTC), deadline 3600 s, concurrency Forbid; scripts in `postgres/`.",
    ]);
  });

  it("shows what a CronJob's record leaves out: ?, or Kubernetes' default", () => {
    const bare = under(BACKUP, "kubernetes:batch/v1:CronJob", "bare", {});
    const lines = postgresPlanExtension.sections!(
      planContext([writer, BACKUP, bare]),
    )[0]!.markdown.split("\n");
    expect(lines.at(-1)).toBe(
      "Logical backup: CronJob `?`, `?` (UTC), deadline ? s, concurrency Allow; scripts in `postgres/`.",
    );
  });

  it("names the time a restore went to", () => {
    const at = recordedResource(
      INSTANCE,
      "at",
      { identifier: "at", restoreToPointInTime: { restoreTime: "2026-12-01T03:00:00Z" } },
      { region: "us-west-2" },
    );
    expect(postgresPlanExtension.sections!(planContext([at]))[0]!.markdown).toContain(
      "| `at` | us-west-2 | restored to 2026-12-01T03:00:00Z |",
    );
  });

  it("is absent from a stack without an instance", () => {
    expect(
      postgresPlanExtension.sections!(planContext([BACKUP, cronJob(BACKUP, "0 2 * * *")])),
    ).toEqual([]);
  });
});

describe("the PostgreSQL plan artifacts", () => {
  it("are the backup's ConfigMap files under postgres/, and nothing of other owners", () => {
    const scripts = under(BACKUP, "kubernetes:core/v1:ConfigMap", "db-backup-scripts", {
      data: { "backup.sh": "#!/bin/sh\n", "lib.sh": "x\n" },
    });
    // A Secret's data never reaches a plan file.
    const secret = under(BACKUP, "kubernetes:core/v1:Secret", "db-backup-secret", {
      data: { PGPASSWORD: "x" },
    });
    const foreign = under(OTHER, "kubernetes:core/v1:ConfigMap", "other-conf", {
      data: { "other.sh": "y\n" },
    });
    const empty = under(BACKUP, "kubernetes:core/v1:ConfigMap", "db-backup-empty", {});
    expect(
      postgresPlanExtension.artifacts!(
        planContext([BACKUP, OTHER, scripts, secret, foreign, empty]),
      ),
    ).toEqual([
      { path: "postgres/backup.sh", content: "#!/bin/sh\n" },
      { path: "postgres/lib.sh", content: "x\n" },
    ]);
  });
});

describe("postgresObjectives, beyond the basics", () => {
  it("gives a Multi-AZ writer a failover row: no data lost, back within RDS's 120 s", () => {
    const rows = postgresObjectives(planContext([writer]));
    expect(rows.map((r) => r.mechanism)).toEqual([
      "PostgreSQL PITR (transaction logs) `vega-db`",
      "PostgreSQL Multi-AZ failover `vega-db`",
    ]);
    expect(rows[0]!.basis).toBe(
      "automated backups kept 7 days; RDS ships transaction logs every 5 min",
    );
    expect(rows[1]).toMatchObject({
      area: "postgresql",
      basis: "synchronous standby in another zone; failover typically 60–120 s",
      rpo: 0,
      rto: RDS_MULTI_AZ_FAILOVER_SECONDS,
      target: SEED_RECOVERY_PROCEDURES.metadataRecovery,
    });
    const single = postgresObjectives(
      planContext([recordedResource(INSTANCE, "s", { identifier: "s" })]),
    );
    expect(single).toEqual([
      expect.objectContaining({
        rpo: "unbounded",
        basis: "backupRetentionPeriod 0: no automated backups, no point-in-time recovery",
      }),
    ]);
  });

  it("names a replica's regions and says when no alarm bounds it", () => {
    const [row] = postgresObjectives(planContext([replica]));
    expect(row).toMatchObject({
      mechanism: "PostgreSQL in-region replica `vega-db-replica` (us-east-1 → us-east-1)",
      rpo: "unbounded",
      basis: "no ReplicaLag alarm on it: asynchronous, best effort",
    });
    const alarm = recordedResource("aws:cloudwatch/metricAlarm:MetricAlarm", "lag", {
      metricName: "ReplicaLag",
      threshold: 60,
      dimensions: { DBInstanceIdentifier: "vega-db-replica" },
    });
    const cpu = recordedResource("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", {
      metricName: "CPUUtilization",
      threshold: 80,
      dimensions: { DBInstanceIdentifier: "vega-db-replica" },
    });
    // Another kind of resource with the same fields, or an alarm without dimensions, is no bound.
    const lookalike = recordedResource("aws:cloudwatch/dashboard:Dashboard", "d", {
      ...alarm.inputs,
    });
    const mathAlarm = recordedResource("aws:cloudwatch/metricAlarm:MetricAlarm", "math", {
      metricName: "ReplicaLag",
      threshold: 1,
    });
    expect(
      postgresObjectives(planContext([replica, cpu, lookalike, mathAlarm, alarm]))[0]!.basis,
    ).toBe("asynchronous; the ReplicaLag alarm fires above 60 s");
    const dr = recordedResource(
      INSTANCE,
      "dr",
      { identifier: "vega-dr", replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:vega-db" },
      { region: "us-west-2" },
    );
    expect(postgresObjectives(planContext([dr]))[0]!.mechanism).toBe(
      "PostgreSQL cross-region replica `vega-dr` (us-east-1 → us-west-2)",
    );
  });

  it("reads a CronJob without a time zone as UTC, as Kubernetes runs it", () => {
    const utc = under(BACKUP, "kubernetes:batch/v1:CronJob", "utc", {
      metadata: { name: "dump" },
      spec: { schedule: "0 3 * * *" },
    });
    expect(postgresObjectives(planContext([BACKUP, utc]))[0]!.basis).toBe(
      "schedule `0 3 * * *` (UTC): the longest gap between two dumps",
    );
  });

  it("bounds the pg_dump by its schedule's longest gap, for the backup's CronJobs only", () => {
    const rows = postgresObjectives(
      planContext([
        BACKUP,
        cronJob(BACKUP, "0 */6 * * *"),
        OTHER,
        cronJob(OTHER, "0 * * * *"),
        under(BACKUP, "kubernetes:batch/v1:CronJob", "unscheduled", { spec: {} }),
        under(BACKUP, "kubernetes:batch/v1:CronJob", "bare", {}),
      ]),
    );
    expect(rows).toEqual([
      {
        area: "postgresql",
        mechanism: "pg_dump CronJob `db-backup-pg-dump`",
        rpo: 6 * 3600,
        basis: "schedule `0 */6 * * *` (Etc/UTC): the longest gap between two dumps",
        target: SEED_BACKUP_OBJECTIVES.metadataPgDump,
      },
    ]);
  });
});
