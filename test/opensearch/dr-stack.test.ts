import { beforeAll, describe, expect, it } from "vitest";
import { autoFollowRuleName, leaderOf } from "../../components/opensearch";
import { openSearchPlanExtension } from "../../components/opensearch/plan";
import { stackOutputsSchema } from "../../config";
import { examplePrimaryOutputs, stackConfig, synthDr, type Synth } from "../harness";
import {
  ACCEPTER,
  CONNECTION,
  dataStoresDashboard,
  DOMAIN,
  openSearchDomainDimensions,
  restOf,
} from "./stack-checks";

const config = stackConfig("dr");
const primary = examplePrimaryOutputs();
const leader = primary.opensearch!;
let s: Synth;
beforeAll(async () => {
  s = await synthDr();
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

describe("the leader from the contract", () => {
  it("a primary that exports no opensearch yet: deploy (pulumi up) the primary stack first", () => {
    const { opensearch: _none, ...older } = primary;
    expect(() => leaderOf(older, "OpenSearch_2.19")).toThrow(
      /contract field opensearch.*deploy \(pulumi up\) the primary stack first/,
    );
  });

  it("another major engine version on the two sides is refused, naming the key", () => {
    const old = { ...primary, opensearch: { ...leader, engineVersion: "OpenSearch_1.3" } };
    expect(() => leaderOf(old, "OpenSearch_2.19")).toThrow(
      /vega-ha:opensearch.engineVersion is OpenSearch_2.19 but the primary runs OpenSearch_1.3/,
    );
    expect(
      leaderOf(
        { ...primary, opensearch: { ...leader, engineVersion: "OpenSearch_2.11" } },
        "OpenSearch_2.19",
      ).domainName,
    ).toBe(leader.domainName);
  });
});
