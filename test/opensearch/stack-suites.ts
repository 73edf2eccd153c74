/**
 * The search area as the stacks synthesise it from their real config files (one synthesis per
 * stack file, checked area by area in test/stack). Expectations come from each stack's parsed
 * config and the primary's contract, never from copies of their values.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BACKUP_PREFIXES } from "../../components/backup";
import { backupPlanExtension } from "../../components/backup/plan";
import { autoFollowRuleName } from "../../components/opensearch";
import { openSearchPlanExtension } from "../../components/opensearch/plan";
import { stackOutputsSchema } from "../../config";
import { examplePrimaryOutputs, stackConfig, type Synth } from "../harness";
import { seedRetentionDays } from "../harness/seed";
import {
  ACCEPTER,
  checkSnapshotRetentionOwnedByPolicies,
  CONNECTION,
  dataStoresDashboard,
  DOMAIN,
  openSearchDomainDimensions,
  restOf,
} from "./stack-checks";

export function describeSearchInPrimary(get: () => Synth): void {
  const config = stackConfig("primary");
  let s: Synth;
  beforeAll(() => {
    s = get();
  });

  describe("primary stack: search", () => {
    it("has one protected, zone-aware domain in its own region and exports it in the contract", () => {
      const domain = s.one(DOMAIN, "-search-domain");
      expect(domain.region).toBe(config.region);
      expect(domain.protect).toBe(true);
      const outputs = stackOutputsSchema.parse(s.outputs);
      expect(outputs.opensearch).toEqual({
        domainArn: `arn:aws:es:${config.region}:123456789012:domain/${domain.inputs.domainName}`,
        domainName: domain.inputs.domainName,
        endpoint: expect.stringMatching(/\.es\.amazonaws\.com$/),
        region: config.region,
        engineVersion: config.opensearch.engineVersion,
      });
    });

    it("owns no cross-cluster link (the DR stack does) and follows nothing", () => {
      expect(s.ofType(CONNECTION)).toEqual([]);
      expect(s.ofType(ACCEPTER)).toEqual([]);
      expect(restOf(s, "autoFollowRule")).toEqual([]);
    });

    it("the vault's lifecycle and the SM policies agree: the policies delete at the seed's retention, lifecycle never expires a repository's current versions", () => {
      checkSnapshotRetentionOwnedByPolicies(s);
    });

    it("the plan's backup retention shows the repositories as expired by the snapshot policy, gone for good after max_age + noncurrent", () => {
      const ctx = { stack: "primary", resources: s.resources, outputs: s.outputs };
      const [section] = backupPlanExtension.sections!(ctx);
      const { retention, objectLock } = config.backup;
      const seed = seedRetentionDays();
      for (const [kind, days] of [
        ["opensearchSnapshots", seed["快照 (Snapshot)"]!],
        ["opensearchDelta", seed["增量备份 (Delta)"]!],
      ] as const) {
        const gone = Math.max(days + retention.noncurrentVersionDays, objectLock.days);
        expect(section!.markdown).toContain(
          `| \`${BACKUP_PREFIXES[kind].prefix}\` | expired by the snapshot policy after ${days} d | ${retention.noncurrentVersionDays} d | ${gone} d |`,
        );
      }
    });

    it("alarms on the domain (no follower alarm on the leader) and the dashboard shows it", () => {
      const domainName = s.one(DOMAIN, "-search-domain").inputs.domainName;
      const alarms = s
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .filter((a) => a.inputs.namespace === "AWS/ES");
      expect(alarms.map((a) => a.name.replace(/.*-alarms-search-/, "")).sort()).toEqual([
        "cpu",
        "free-storage",
        "jvm-pressure",
        "red",
        "snapshot-failure",
        "yellow",
      ]);
      for (const a of alarms)
        expect(a.inputs.dimensions).toEqual({ DomainName: domainName, ClientId: "123456789012" });
      const dims = openSearchDomainDimensions(dataStoresDashboard(s));
      expect(dims.length).toBeGreaterThan(0);
      expect(new Set(dims)).toEqual(new Set([domainName]));
    });
  });
}

export function describeSearchInDr(get: () => Synth): void {
  const config = stackConfig("dr");
  const leader = examplePrimaryOutputs().opensearch!;
  let s: Synth;
  beforeAll(() => {
    s = get();
  });

  describe("dr stack: search and cross-cluster replication", () => {
    it("has its own domain in the DR region, same engine major as the primary", () => {
      const domain = s.one(DOMAIN, "-search-domain");
      expect(domain.region).toBe(config.region);
      expect(String(domain.inputs.engineVersion).split(".")[0]).toBe(
        leader.engineVersion.split(".")[0],
      );
      expect(stackOutputsSchema.parse(s.outputs).opensearch?.region).toBe(config.region);
    });

    it("opens a DIRECT outbound connection from the DR domain (local) to the primary's (remote)", () => {
      const c = s.one(CONNECTION, "-search-replication-connection");
      const dr = s.one(DOMAIN, "-search-domain");
      expect(c.region).toBe(config.region);
      expect(c.inputs).toMatchObject({
        connectionAlias: config.opensearch.replication.connectionAlias,
        connectionMode: "DIRECT",
        localDomainInfo: {
          ownerId: "123456789012",
          domainName: dr.inputs.domainName,
          region: config.region,
        },
        remoteDomainInfo: {
          ownerId: "123456789012",
          domainName: leader.domainName,
          region: leader.region,
        },
      });
      expect(c.retainOnDelete).toBe(true);
    });

    it("accepts it in the PRIMARY region, retained so promotion never calls that region", () => {
      const a = s.one(ACCEPTER, "-search-replication-accepter");
      const c = s.one(CONNECTION, "-search-replication-connection");
      expect(a.region).toBe(leader.region);
      expect(a.inputs.region).toBe(leader.region);
      expect(a.inputs.connectionId).toBe(`${c.name}-id`);
      expect(a.retainOnDelete).toBe(true);
    });

    it("auto-follows every configured pattern on the DR domain, once the connection is accepted", () => {
      const rules = restOf(s, "autoFollowRule");
      const accepter = s.one(ACCEPTER, "-search-replication-accepter");
      const endpoint = s.outputs.opensearch.endpoint;
      expect(rules.map((r) => (r.inputs.spec as any).pattern)).toEqual(
        config.opensearch.replication.indexPatterns,
      );
      for (const r of rules) {
        expect(r.inputs).toMatchObject({ endpoint, region: config.region });
        expect(r.inputs.spec).toMatchObject({
          leaderAlias: config.opensearch.replication.connectionAlias,
          name: autoFollowRuleName(
            config.opensearch.replication.ruleName,
            (r.inputs.spec as any).pattern,
          ),
          leaderRole: config.opensearch.replication.leaderRole,
          followerRole: config.opensearch.replication.followerRole,
        });
        expect(r.dependencies).toContain(accepter.urn);
      }
      expect(restOf(s, "replicationStopped")).toEqual([]);
    });

    it("snapshots into its OWN vault, in its own region", () => {
      for (const repo of restOf(s, "snapshotRepository")) {
        expect((repo.inputs.spec as any).bucket).toBe(s.outputs.backup.bucketName);
        expect((repo.inputs.spec as any).region).toBe(config.region);
      }
      expect(restOf(s, "smPolicy")).toHaveLength(2);
      checkSnapshotRetentionOwnedByPolicies(s);
    });

    it("alarms on follower replication failures, and the dashboard shows the DR domain", () => {
      const names = s.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name);
      expect(names.some((n) => n.endsWith("-search-replication-failed"))).toBe(true);
      const domainName = s.one(DOMAIN, "-search-domain").inputs.domainName;
      expect(new Set(openSearchDomainDimensions(dataStoresDashboard(s)))).toEqual(
        new Set([domainName]),
      );
    });
  });

  describe("the offline plan's search section", () => {
    it("shows the follower -> leader link, the acceptance region and every REST object", () => {
      const ctx = { stack: "dr", resources: s.resources, outputs: s.outputs };
      const [section] = openSearchPlanExtension.sections!(ctx);
      expect(section!.markdown).toContain(
        `(${config.region}, follower) → \`${leader.domainName}\` (${leader.region}, leader)`,
      );
      expect(section!.markdown).toContain(`accepted in ${leader.region} (retained on delete)`);
      const [file] = openSearchPlanExtension.artifacts!(ctx);
      const objects = JSON.parse(file!.content) as { kind: string }[];
      expect(objects.map((o) => o.kind).sort()).toEqual([
        "autoFollowRule",
        "smPolicy",
        "smPolicy",
        "snapshotRepository",
        "snapshotRepository",
      ]);
      expect(file!.content).not.toContain("__provider");
    });
  });
}

export function describeSearchInPromotedDr(get: () => Synth): void {
  const config = stackConfig("dr", { "vega-ha:promoted": "true" });
  let s: Synth;
  beforeAll(() => {
    s = get();
  });

  describe("promoted dr stack: replication stopped", () => {
    it("declares no connection, no acceptance in the primary region, no auto-follow rule", () => {
      expect(s.ofType(CONNECTION)).toEqual([]);
      expect(s.ofType(ACCEPTER)).toEqual([]);
      expect(restOf(s, "autoFollowRule")).toEqual([]);
      expect(
        s.resources.filter((r) => r.region === "us-east-1" && r.type.startsWith("aws:opensearch")),
      ).toEqual([]);
    });

    it("stops replication on its own domain: the rules are deleted and follower indices stopped", () => {
      const [stopped, ...more] = restOf(s, "replicationStopped");
      expect(more).toEqual([]);
      expect(stopped!.inputs).toMatchObject({
        endpoint: s.outputs.opensearch.endpoint,
        region: config.region,
        spec: {
          leaderAlias: config.opensearch.replication.connectionAlias,
          ruleNames: config.opensearch.replication.indexPatterns.map((p) =>
            autoFollowRuleName(config.opensearch.replication.ruleName, p),
          ),
        },
      });
    });

    it("keeps its domain and keeps snapshotting into its own vault", () => {
      expect(s.one(DOMAIN, "-search-domain").protect).toBe(true);
      expect(restOf(s, "smPolicy")).toHaveLength(2);
      for (const repo of restOf(s, "snapshotRepository"))
        expect((repo.inputs.spec as any).bucket).toBe(s.outputs.backup.bucketName);
    });

    it("no longer alarms on follower replication", () => {
      const names = s.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.name);
      expect(names.some((n) => n.endsWith("-search-replication-failed"))).toBe(false);
    });
  });
}
