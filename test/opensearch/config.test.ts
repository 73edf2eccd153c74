import { describe, expect, it } from "vitest";
import {
  OPENSEARCH_MASTERS,
  OPENSEARCH_ZONES,
  parseStackConfig,
  SEED_BACKUP_RETENTION,
  SEED_OPENSEARCH_MIN_DATA_NODES,
} from "../../config";
import { configErrorOf, minimalPrimary, refusedKeys } from "../harness/config";
import { seedRetentionDays } from "../harness/seed";

const withSearch = (opensearch: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  ...minimalPrimary(),
  opensearch,
  ...extra,
});
const problems = (raw: Record<string, unknown>) =>
  configErrorOf(() => parseStackConfig(raw)).problems;

describe("vega-ha:opensearch defaults", () => {
  const o = parseStackConfig(minimalPrimary()).opensearch;

  it("3+ data nodes (seed 17.1) over 3 zones, with 3 dedicated masters", () => {
    expect(SEED_OPENSEARCH_MIN_DATA_NODES).toBe(3);
    expect(o.data.count).toBe(SEED_OPENSEARCH_MIN_DATA_NODES);
    expect(OPENSEARCH_ZONES).toBe(3);
    expect(OPENSEARCH_MASTERS).toBe(3);
    expect(o.enabled).toBe(true);
  });

  it("snapshot retention is not duplicated here: the seed 16.2 days live in backup.retention", () => {
    expect(Object.keys(o)).not.toContain("retention");
    const seed = seedRetentionDays();
    expect(SEED_BACKUP_RETENTION.opensearchSnapshotDays).toBe(seed["快照 (Snapshot)"]);
    expect(SEED_BACKUP_RETENTION.opensearchDeltaDays).toBe(seed["增量备份 (Delta)"]);
  });

  it("runs an engine with cross-cluster replication, on non-burstable instances", () => {
    expect(o.engineVersion).toMatch(/^OpenSearch_2\.\d+$/);
    expect(o.data.instanceType).not.toMatch(/^t\d/);
    expect(o.masters.instanceType).not.toMatch(/^t\d/);
  });
});

describe("vega-ha:opensearch refuses what cannot work, naming the key", () => {
  it.each([
    ["data", "instanceType", "t3.medium.search"],
    ["masters", "instanceType", "t3.small.search"],
    ["data", "instanceType", "m3.large.search"],
  ])("T-class and M3 instances (CCR does not run there): %s.%s = %s", (section, key, value) => {
    const [p] = problems(withSearch({ [section]: { [key]: value } }));
    expect(p!.key).toBe(`vega-ha:opensearch.${section}.${key}`);
    expect(p!.message).toMatch(/not burstable T-class or M3.*cross-cluster replication/);
  });

  it("an engine without snapshot management (2.5) or cross-cluster replication (1.1)", () => {
    for (const engineVersion of ["OpenSearch_1.0", "OpenSearch_2.3"]) {
      const [p] = problems(withSearch({ engineVersion }));
      expect(p).toMatchObject({ key: "vega-ha:opensearch.engineVersion" });
      expect(p!.message).toContain("OpenSearch_2.5 or later");
    }
    expect(() => parseStackConfig(withSearch({ engineVersion: "OpenSearch_2.5" }))).not.toThrow();
  });

  it("data nodes that do not spread evenly over 3 zones, or fewer than 3", () => {
    expect(problems(withSearch({ data: { count: 4 } }))[0]).toMatchObject({
      key: "vega-ha:opensearch.data.count",
    });
    expect(problems(withSearch({ data: { count: 2 } }))[0]).toMatchObject({
      key: "vega-ha:opensearch.data.count",
    });
  });

  it("gp3 throughput above 0.25 MiB/s per IOPS, and out-of-range IOPS", () => {
    expect(
      problems(withSearch({ storage: { iops: 3000, throughputMiBps: 1000 } }))[0],
    ).toMatchObject({
      key: "vega-ha:opensearch.storage.throughputMiBps",
    });
    expect(problems(withSearch({ storage: { iops: 2000 } }))[0]).toMatchObject({
      key: "vega-ha:opensearch.storage.iops",
    });
  });

  it("a log retention CloudWatch does not accept", () => {
    expect(problems(withSearch({ logRetentionDays: 10 }))[0]).toMatchObject({
      key: "vega-ha:opensearch.logRetentionDays",
    });
  });

  it("fewer than 3 private subnets while the domain is on (zone awareness over 3 zones)", () => {
    const raw = minimalPrimary();
    raw.platform.network.privateSubnetIds = raw.platform.network.privateSubnetIds.slice(0, 2);
    const [p] = problems(raw);
    expect(p!.key).toBe("vega-ha:platform.network.privateSubnetIds");
    expect(p!.message).toContain("at least 3 subnets");
    // With the domain off, two subnets are enough again.
    expect(() => parseStackConfig({ ...raw, opensearch: { enabled: false } })).not.toThrow();
  });

  it("unknown keys (a typo never falls back to a default)", () => {
    expect(problems(withSearch({ data: { instancetype: "r6g.large.search" } }))[0]).toMatchObject({
      key: "vega-ha:opensearch.data.instancetype",
    });
  });
});

describe("OpenSearch defaults the seed does not give", () => {
  it("instance types, master user, client groups, replication and snapshot schedules", () => {
    const { opensearch } = parseStackConfig(minimalPrimary());
    expect(opensearch.data.instanceType).toBe("r6g.large.search");
    expect(opensearch.masters.instanceType).toBe("m6g.large.search");
    expect(opensearch.masterUserName).toBe("vega-admin");
    expect(opensearch.clientSecurityGroupIds).toEqual([]);
    expect(opensearch.replication).toEqual({
      connectionAlias: "vega-primary",
      ruleName: "vega",
      indexPatterns: ["vega-*"],
      lagAlarmPeriodMinutes: 15,
      leaderRole: "cross_cluster_replication_leader_full_access",
      followerRole: "cross_cluster_replication_follower_full_access",
    });
    expect(opensearch.snapshots).toEqual({ dailyCron: "0 2 * * *", hourlyCron: "15 * * * *" });
  });
});

describe("OpenSearch limits, at the edge", () => {
  const keys = (opensearch: object) => refusedKeys({ ...minimalPrimary(), opensearch });

  it("takes gp3 throughput up to a quarter of the IOPS, not a MiB/s more", () => {
    expect(keys({ storage: { iops: 3200, throughputMiBps: 800 } })).toEqual([]);
    expect(keys({ storage: { iops: 3200, throughputMiBps: 801 } })).toEqual([
      "vega-ha:opensearch.storage.throughputMiBps",
    ]);
  });

  it("takes 5-field crons with multi-character fields, refuses 4 or 6 fields", () => {
    expect(keys({ snapshots: { dailyCron: "30 23 * * 1-5", hourlyCron: "15 */2 * * *" } })).toEqual(
      [],
    );
    for (const cron of ["0 2 * *", "0 2 * * * *"])
      expect(keys({ snapshots: { dailyCron: cron } }), cron).toEqual([
        "vega-ha:opensearch.snapshots.dailyCron",
      ]);
  });
});
