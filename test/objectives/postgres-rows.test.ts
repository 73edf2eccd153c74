/** The database's objectives rows, from hand-built records (the real stacks: stacks.test.ts). */
import { describe, expect, it } from "vitest";
import { SEED_BACKUP_OBJECTIVES, SEED_RECOVERY_PROCEDURES } from "../../config";
import { postgresObjectives, RDS_LOG_UPLOAD_SECONDS } from "../../components/postgres/plan";
import type { PlanContext } from "../../components/core/plan";
import { recordedResource } from "../harness/records";

const INSTANCE = "aws:rds/instance:Instance";
const ctx = (resources: PlanContext["resources"]): PlanContext => ({
  stack: "test",
  resources,
  outputs: {},
});
const lagAlarm = (identifier: string, threshold: number) =>
  recordedResource("aws:cloudwatch/metricAlarm:MetricAlarm", `${identifier}-lag`, {
    metricName: "ReplicaLag",
    threshold,
    dimensions: { DBInstanceIdentifier: identifier },
  });

describe("postgresObjectives", () => {
  it("PITR: transaction logs every 5 min while backups are kept; none kept, no bound", () => {
    const [kept] = postgresObjectives(
      ctx([recordedResource(INSTANCE, "w", { identifier: "w", backupRetentionPeriod: 7 })]),
    );
    expect(kept).toMatchObject({
      rpo: RDS_LOG_UPLOAD_SECONDS,
      target: SEED_BACKUP_OBJECTIVES.metadataWal,
    });
    const [none] = postgresObjectives(
      ctx([recordedResource(INSTANCE, "w", { identifier: "w", backupRetentionPeriod: 0 })]),
    );
    expect(none!.rpo).toBe("unbounded");
  });

  it("a cross-region replica is bounded by its ReplicaLag alarm and carries region failover's data", () => {
    const replica = recordedResource(
      INSTANCE,
      "r",
      { identifier: "r", replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:w" },
      { region: "us-west-2" },
    );
    const [row] = postgresObjectives(ctx([replica, lagAlarm("r", 120)]));
    expect(row).toMatchObject({
      rpo: 120,
      crossRegion: true,
      target: SEED_RECOVERY_PROCEDURES.regionFailover,
    });
    const [unwatched] = postgresObjectives(ctx([replica, lagAlarm("other", 120)]));
    expect(unwatched!.rpo).toBe("unbounded");
  });

  it("an in-region replica is judged against the WAL row, not region failover", () => {
    const replica = recordedResource(
      INSTANCE,
      "r",
      { identifier: "r", replicateSourceDb: "w" },
      { region: "us-east-1" },
    );
    const [row] = postgresObjectives(ctx([replica, lagAlarm("r", 300)]));
    expect(row).toMatchObject({
      rpo: 300,
      crossRegion: false,
      target: SEED_BACKUP_OBJECTIVES.metadataWal,
    });
  });
});
