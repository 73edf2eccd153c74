/**
 * The recovery rules (policies/recovery.ts), the snapshot schedules (policies/opensearch.ts) and
 * the seed 15.1 thresholds (policies/observability.ts) beyond their mutations on the real stacks.
 */
import { describe, expect, it } from "vitest";
import {
  alertThresholdsAtSeed,
  durationMinutes,
  leadingComparison,
} from "../../policies/observability";
import { resolvePolicyConfig, PolicyConfigError } from "../../policies/config";
import {
  cronIntervalHours,
  openSearchSnapshotSchedules,
  timeValueDays,
} from "../../policies/opensearch";
import { backupRetentionAtLeastSeed, drReplicationPresent } from "../../policies/recovery";
import type { VegaPolicy } from "../../policies/rule";
import { ALL_POLICIES } from "../../policies/rules";
import { runPolicies } from "../../policies/runner";
import { OPENSEARCH_REST_TYPE } from "../../components/opensearch/rest";
import type { RecordedResource } from "../harness";
import { recordedResource } from "../harness/records";
import { seedRetentionDays, seedTable } from "../harness/seed";

async function messages(policy: VegaPolicy, resources: RecordedResource[]): Promise<string[]> {
  return (await runPolicies(resources, {}, [policy])).violations.map((v) => v.message);
}

const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
/** A lifecycle configuration's URN inside the backup vault component. */
const VAULT_URN = `urn:pulumi:s::p::vega:backup:BackupVault$${LIFECYCLE}::lifecycle`;

const provider = recordedResource("pulumi:providers:aws", "aws", { region: "us-west-2" });
const replica = (source: string) =>
  recordedResource("aws:rds/instance:Instance", "db", { replicateSourceDb: source });

describe("vega-dr-replication-present", () => {
  it("leaves a stack with no link alone (the primary, whose in-region replica names its source)", async () => {
    expect(await messages(drReplicationPresent, [provider, replica("vega-prod-db")])).toEqual([]);
  });

  it("asks a stack with one cross-region link for all the others", async () => {
    expect(
      await messages(drReplicationPresent, [
        provider,
        replica("arn:aws:rds:us-east-1:123456789012:db:vega-prod-use1-postgres"),
      ]),
    ).toEqual([
      "this stack follows the primary but lacks S3 replication of the primary's backup vault into this region (BucketReplicationConfig)",
      "this stack follows the primary but lacks an OpenSearch cross-cluster auto-follow rule from the primary's domain",
      "this stack follows the primary but lacks replication of the primary's RDS automated backups (InstanceAutomatedBackupsReplication)",
    ]);
  });

  it("does not count a replica of an instance in its own region as a cross-region link", async () => {
    expect(
      await messages(drReplicationPresent, [
        provider,
        replica("arn:aws:rds:us-west-2:123456789012:db:local"),
        recordedResource(OPENSEARCH_REST_TYPE, "other", { kind: "snapshotRepository" }),
      ]),
    ).toEqual([]);
  });
});

describe("vega-dr-replication-present at its edges", () => {
  const ARN_EAST = "arn:aws:rds:us-east-1:123456789012:db:vega-prod-use1-postgres";
  const bucketReplication = (rules: unknown[]) =>
    recordedResource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "repl", { rules });
  const autoFollow = recordedResource(OPENSEARCH_REST_TYPE, "follow", { kind: "autoFollowRule" });
  const backupsReplication = (sourceDbInstanceArn: string, retentionPeriod?: number) =>
    recordedResource(
      "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
      "backups",
      { sourceDbInstanceArn, retentionPeriod },
    );
  const rtcOn = { status: "Enabled", minutes: 15 };

  it("names the missing database replica, and checks Replication Time Control on enabled rules only", async () => {
    expect(
      await messages(drReplicationPresent, [
        provider,
        bucketReplication([
          { id: "on", status: "Enabled", destination: { replicationTime: rtcOn } },
          { id: "off", status: "Disabled" },
          { id: "no-destination", status: "Enabled" },
          { id: "no-rtc", status: "Enabled", destination: { bucket: "arn:aws:s3:::dr" } },
        ]),
        autoFollow,
        backupsReplication(ARN_EAST),
      ]),
    ).toEqual([
      "this stack follows the primary but lacks a cross-region RDS read replica of the primary's instance",
      "rule no-destination: Replication Time Control is off",
      "rule no-rtc: Replication Time Control is off",
      `backups replicates the backups of ${ARN_EAST}, not of the instance this stack's replica follows`,
    ]);
  });

  it("wants the automated backups of the very instance the replica follows", async () => {
    expect(
      await messages(drReplicationPresent, [
        provider,
        bucketReplication([
          { id: "on", status: "Enabled", destination: { replicationTime: rtcOn } },
        ]),
        autoFollow,
        replica(ARN_EAST),
        backupsReplication("arn:aws:rds:us-east-1:123456789012:db:other"),
      ]),
    ).toEqual([
      "backups replicates the backups of arn:aws:rds:us-east-1:123456789012:db:other, not of the instance this stack's replica follows",
    ]);
  });

  it("finds the stack's region wherever its provider is, and takes any ARN as cross-region without one", async () => {
    const local = replica("arn:aws:rds:us-west-2:123456789012:db:local");
    expect(await messages(drReplicationPresent, [local, provider])).toEqual([]);
    expect(await messages(drReplicationPresent, [local])).toHaveLength(3);
  });

  it("counts only RDS instances as replicas and the REST API's auto-follow rules as search links", async () => {
    const lookalike = recordedResource("aws:rds/clusterInstance:ClusterInstance", "ci", {
      replicateSourceDb: ARN_EAST,
      kind: "autoFollowRule",
    });
    expect(await messages(drReplicationPresent, [provider, lookalike])).toEqual([]);
  });
});

describe("vega-backup-retention-at-least-seed", () => {
  const vaultLifecycle = (rules: unknown[]) =>
    recordedResource(LIFECYCLE, "lifecycle", { rules }, { urn: VAULT_URN });
  const days = seedRetentionDays();

  it("takes its defaults from seed 16.2", () => {
    const props = backupRetentionAtLeastSeed.configSchema!.properties;
    expect(props.metadataDailyDays!.default).toBe(days["逻辑备份 (pg_dump)"]);
    expect(props.walArchiveDays!.default).toBe(days["WAL 归档"]);
  });

  it("ignores disabled rules and rules on other prefixes, flags the whole bucket", async () => {
    expect(
      await messages(backupRetentionAtLeastSeed, [
        vaultLifecycle([
          {
            id: "off",
            status: "Disabled",
            filter: { prefix: "metadata/" },
            expiration: { days: 1 },
          },
          {
            id: "logs",
            status: "Enabled",
            filter: { prefix: "opensearch/logs/" },
            expiration: { days: 1 },
          },
          { id: "all", status: "Enabled", filter: {}, expiration: { days: 2 } },
        ]),
      ]),
    ).toEqual([
      `rule all expires metadata/daily/ after 2 days, the seed keeps pg_dumps ${days["逻辑备份 (pg_dump)"]}`,
    ]);
  });
});

describe("vega-backup-retention-at-least-seed at its edges", () => {
  const rules = [{ id: "short", status: "Enabled", filter: {}, expiration: { days: 1 } }];
  const withConfig = async (resources: RecordedResource[], walArchiveDays = 14) =>
    (
      await runPolicies(
        resources,
        resolvePolicyConfig(
          { "vega-backup-retention-at-least-seed": { walArchiveDays } },
          ALL_POLICIES,
        ),
        [backupRetentionAtLeastSeed],
      )
    ).violations.map((v) => v.message);

  it("judges only the backup vault's lifecycle configuration", async () => {
    expect(
      await withConfig([
        recordedResource(LIFECYCLE, "logs-lifecycle", { rules }),
        recordedResource(
          "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
          "r",
          { rules },
          {
            urn: VAULT_URN.replace(
              LIFECYCLE,
              "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            ),
          },
        ),
      ]),
    ).toEqual([]);
  });

  it("takes AWS's 7 days for replicated backups without a retention period, and judges nothing else by it", async () => {
    const replication = (retentionPeriod?: number) =>
      recordedResource(
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        `backups-${retentionPeriod ?? "unset"}`,
        { sourceDbInstanceArn: "arn:aws:rds:us-east-1:1:db:x", retentionPeriod },
      );
    expect(
      await withConfig([
        replication(),
        replication(14),
        recordedResource("aws:rds/instance:Instance", "db", {}),
      ]),
    ).toEqual(["replicated automated backups kept 7 days, at least 14"]);
  });
});

describe("snapshot schedule parsing", () => {
  it("reads the cron shapes the snapshot policies use, and nothing else", () => {
    expect(cronIntervalHours("15 * * * *")).toBe(1);
    expect(cronIntervalHours("0 */6 * * *")).toBe(6);
    expect(cronIntervalHours("0 2 * * *")).toBe(24);
    expect(cronIntervalHours("0 2 * * 0")).toBeUndefined();
    expect(cronIntervalHours("0 2 1 * *")).toBeUndefined();
    expect(cronIntervalHours("*/5 * * * *")).toBeUndefined();
    // Any run of blanks separates fields; anything but five fields, or junk in one, is no shape.
    expect(cronIntervalHours("  0   3\t* * *  ")).toBe(24);
    for (const cron of [
      "0 2 * *",
      "0 2 * * * *",
      "0x 2 * * *",
      "0 2 * 1 *",
      "0 x*/6 * * *",
      "0 */6x * * *",
      "0 2x * * *",
    ])
      expect(cronIntervalHours(cron), cron).toBeUndefined();
    expect(timeValueDays("14d")).toBe(14);
    expect(timeValueDays("72h")).toBe(3);
    expect(timeValueDays("14 days")).toBeUndefined();
    expect(timeValueDays("2880m")).toBe(2);
    for (const value of ["x14d", "14dx", "d", 14, undefined, ["14d"]])
      expect(timeValueDays(value), String(value)).toBeUndefined();
    // An hour of two digits is a daily schedule too.
    expect(cronIntervalHours("30 23 * * *")).toBe(24);
  });

  it("counts a policy without a deletion condition as kept for ever", async () => {
    const domain = recordedResource("aws:opensearch/domain:Domain", "search", {});
    const rest = (name: string, kind: string, spec: unknown) =>
      recordedResource(OPENSEARCH_REST_TYPE, name, { kind, spec });
    expect(
      await messages(openSearchSnapshotSchedules, [
        domain,
        rest("repo", "snapshotRepository", { name: "r" }),
        rest("hourly", "smPolicy", {
          body: {
            creation: { schedule: { cron: { expression: "0 * * * *" } } },
            snapshot_config: { repository: "r" },
          },
        }),
      ]),
    ).toEqual([]);
    expect(await messages(openSearchSnapshotSchedules, [domain])).toHaveLength(2);
  });
});

describe("vega-alert-thresholds-at-seed", () => {
  it("reads the leading comparison and Prometheus durations", () => {
    expect(leadingComparison('a:b:ratio{x="y"} > 0.8 and on (n) c > 1')).toEqual({
      series: "a:b:ratio",
      op: ">",
      value: 0.8,
    });
    expect(leadingComparison("sum(x) > 1")).toBeUndefined();
    // Only a comparison at the start: not one later in an arithmetic expression.
    expect(leadingComparison("1 + up > 3")).toBeUndefined();
    expect(leadingComparison(" ( up{job='x'} <= 2e-3")).toEqual({
      series: "up",
      op: "<=",
      value: 0.002,
    });
    expect(durationMinutes("1h30m")).toBe(90);
    expect(durationMinutes("90s")).toBe(1.5);
    expect(durationMinutes("10 minutes")).toBeNaN();
    expect(durationMinutes("1d2h30m15s")).toBe(1440 + 120 + 30 + 0.25);
    expect(durationMinutes("1w")).toBe(10080);
    expect(durationMinutes("1y")).toBe(525600);
    expect(durationMinutes("90000ms")).toBe(1.5);
    // Every character must belong to a duration: empty, junk before, between or after is none.
    for (const junk of ["", "x5m", "5mx", "5m x", "5m 30s", "m"])
      expect(durationMinutes(junk), JSON.stringify(junk)).toBeNaN();
  });

  it("has one limit per seed 15.1 row, at the seed's value", () => {
    const props = alertThresholdsAtSeed.configSchema!.properties;
    const seedValues = seedTable("15.1").flatMap(([, , thresholds]) =>
      [...(thresholds ?? "").matchAll(/[<>]\s*([\d.]+)/g)].map((m) => Number(m[1])),
    );
    const limits = Object.entries(props)
      .filter(([k]) => k !== "maxForMinutes")
      .map(([, p]) => p.default);
    expect([...limits].sort()).toEqual([...seedValues].sort());
  });

  it("bounds each limit on the side the seed's row fires: a maximum for >, a minimum for <", () => {
    const props = Object.entries(alertThresholdsAtSeed.configSchema!.properties).filter(
      ([k]) => k !== "maxForMinutes",
    );
    const rows = seedTable("15.1").flatMap(([, , thresholds]) =>
      [...(thresholds ?? "").matchAll(/([<>])\s*([\d.]+)/g)].map(
        (m) => [m[1], Number(m[2])] as const,
      ),
    );
    for (const [op, value] of rows)
      expect(
        props.some(
          ([, p]) =>
            p.default === value &&
            (op === ">"
              ? p.maximum === value && p.minimum === undefined
              : p.minimum === value && p.maximum === undefined),
        ),
        `${op} ${value}`,
      ).toBe(true);
    expect(props.filter(([, p]) => p.maximum !== undefined)).toHaveLength(
      rows.filter(([op]) => op === ">").length,
    );
  });

  it("refuses a limit looser than the seed in the config file", () => {
    const text = seedTable("15.1")
      .map((row) => row[2])
      .join(" ");
    const cpu = Number(/cpu > (\d+)%/.exec(text)![1]);
    const hitRate = Number(/hit_rate < (\d+)%/.exec(text)![1]);
    const attempt = () =>
      resolvePolicyConfig(
        { [alertThresholdsAtSeed.name]: { cpuPercent: cpu + 1, cacheHitRatePercent: hitRate - 1 } },
        ALL_POLICIES,
      );
    expect(attempt).toThrow(PolicyConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as PolicyConfigError).problems).toEqual([
        `vega-alert-thresholds-at-seed.cpuPercent: expected at most ${cpu}, got ${cpu + 1}`,
        `vega-alert-thresholds-at-seed.cacheHitRatePercent: expected at least ${hitRate}, got ${hitRate - 1}`,
      ]);
    }
  });
});
