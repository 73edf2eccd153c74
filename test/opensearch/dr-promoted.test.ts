import { beforeAll, describe, expect, it } from "vitest";
import { autoFollowRuleName } from "../../components/opensearch";
import { stackConfig, synthDr, type Synth } from "../harness";
import { ACCEPTER, CONNECTION, DOMAIN, restOf } from "./stack-checks";

const override = { "vega-ha:promoted": "true" };
const config = stackConfig("dr", override);
let s: Synth;
beforeAll(async () => {
  s = await synthDr({ override });
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
