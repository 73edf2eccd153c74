/**
 * The search area's part of the offline plan (components/opensearch/plan.ts) on hand-made
 * records: each domain's table as a reviewer reads it (settings on and off), the cross-cluster
 * link with or without its acceptance, every kind of REST object, the REST objects file, and the
 * replication row without a lag alarm. The real stacks check the rest (test/opensearch/stack-suites.ts).
 */
import { describe, expect, it } from "vitest";
import { SEED_BACKUP_OBJECTIVES, SEED_RECOVERY_PROCEDURES } from "../../config";
import {
  openSearchObjectives,
  openSearchPlanExtension,
  replicationLagAlarmBound,
} from "../../components/opensearch/plan";
import {
  REPLICATION_LAG_EXPRESSION,
  REPLICATION_LAG_QUERY,
} from "../../components/observability/alarms/builders";
import { OPENSEARCH_REST_TYPE } from "../../components/opensearch";
import { REDACTED } from "../harness";
import { planContext, recordedResource } from "../harness/records";

const DOMAIN = "aws:opensearch/domain:Domain";
const CONNECTION = "aws:opensearch/outboundConnection:OutboundConnection";
const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";
const LINK = recordedResource("vega:opensearch:CrossClusterReplication", "ccr", {});

const hardened = recordedResource(
  DOMAIN,
  "search-domain",
  {
    domainName: "vega-prod-use2-search",
    engineVersion: "OpenSearch_2.19",
    clusterConfig: {
      instanceCount: 3,
      instanceType: "r7g.large.search",
      zoneAwarenessConfig: { availabilityZoneCount: 3 },
      dedicatedMasterEnabled: true,
      dedicatedMasterCount: 3,
      dedicatedMasterType: "m7g.large.search",
    },
    ebsOptions: { volumeType: "gp3", volumeSize: 100, iops: 3000, throughput: 125 },
    encryptAtRest: { enabled: true },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: {
      enforceHttps: true,
      tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10",
    },
    vpcOptions: { subnetIds: ["subnet-a", "subnet-b", "subnet-c"] },
    advancedSecurityOptions: { enabled: true, masterUserOptions: { masterUserPassword: REDACTED } },
    logPublishingOptions: [{ logType: "INDEX_SLOW_LOGS" }, { logType: "ES_APPLICATION_LOGS" }],
  },
  { region: "us-east-2", protect: true },
);
/** A domain recorded with none of the settings vega-ha sets: every line says what is missing. */
const bare = recordedResource(
  DOMAIN,
  "bare-domain",
  {
    domainName: "bare",
    engineVersion: "OpenSearch_2.19",
    advancedSecurityOptions: {
      enabled: false,
      masterUserOptions: { masterUserPassword: "hunter2" },
    },
  },
  { region: "eu-west-1" },
);
const under = (type: string, name: string, inputs: Record<string, unknown>, extra = {}) =>
  recordedResource(type, name, inputs, { parent: LINK.urn, ...extra });
const connection = under(CONNECTION, "ccr-connection", {
  connectionAlias: "vega-primary",
  connectionMode: "DIRECT",
  localDomainInfo: { domainName: "vega-dr", region: "us-west-2" },
  remoteDomainInfo: { domainName: "vega-primary", region: "us-east-1" },
});
const accepter = under(ACCEPTER, "ccr-accept", {}, { region: "us-east-1", retainOnDelete: true });
const rest = (name: string, kind: string, spec: Record<string, unknown>, extra = {}) =>
  under(
    OPENSEARCH_REST_TYPE,
    name,
    {
      kind,
      region: "us-west-2",
      endpoint: "vpc-vega-dr.es.amazonaws.com",
      spec,
      __provider: "abc",
    },
    { region: "us-west-2", ...extra },
  );
const objects = [
  rest("rule", "autoFollowRule", { name: "vega-all", pattern: "*", leaderAlias: "vega-primary" }),
  rest("stopped", "replicationStopped", { ruleNames: ["vega-all", "vega-logs"] }),
  rest("repo", "snapshotRepository", {
    name: "vega-daily",
    bucket: "vault",
    basePath: "opensearch/snapshots/us-west-2",
    region: "us-west-2",
  }),
  rest("daily", "smPolicy", {
    name: "vega-daily",
    body: {
      creation: { schedule: { cron: { expression: "0 3 * * *" } } },
      snapshot_config: { repository: "vega-daily" },
      deletion: { condition: { max_age: "30d" } },
    },
  }),
];

const markdown = (resources: ReturnType<typeof recordedResource>[]) => {
  const [section, ...more] = openSearchPlanExtension.sections!(planContext(resources));
  expect(more).toEqual([]);
  expect(section!.title).toBe("Search (seed 16.1, 16.2, 17.1)");
  return section!.markdown.split("\n");
};

describe("the search plan section: domains", () => {
  it("is absent for a stack without a domain", () => {
    expect(openSearchPlanExtension.sections!(planContext([connection, ...objects]))).toEqual([]);
  });

  it("shows a hardened domain's every setting, as configured", () => {
    expect(markdown([hardened])).toEqual([
      "**vega-prod-use2-search** (us-east-2), OpenSearch_2.19, protected",
      "",
      "| setting | value |",
      "|---|---|",
      "| data nodes | 3 × `r7g.large.search` over 3 zones |",
      "| dedicated masters | 3 × `m7g.large.search` |",
      "| storage | gp3 100 GiB, 3000 IOPS, 125 MiB/s per node |",
      "| encryption | at rest: KMS; node to node: on |",
      "| endpoint | HTTPS only, `Policy-Min-TLS-1-2-PFS-2023-10`; VPC, 3 subnets |",
      "| access control | fine-grained: on (master password secret) |",
      "| logs | INDEX_SLOW_LOGS, ES_APPLICATION_LOGS |",
      "",
    ]);
  });

  it("says what a domain without those settings lacks, never `undefined`", () => {
    const lines = markdown([bare]);
    expect(lines).toEqual([
      "**bare** (eu-west-1), OpenSearch_2.19",
      "",
      "| setting | value |",
      "|---|---|",
      "| data nodes | ? × `?` over 1 zones |",
      "| dedicated masters | none |",
      "| storage | ? ? GiB, ? IOPS, ? MiB/s per node |",
      "| encryption | at rest: off; node to node: off |",
      "| endpoint | HTTP allowed, `?`; VPC, 0 subnets |",
      "| access control | fine-grained: off (master password NOT secret) |",
      "| logs |  |",
      "",
    ]);
  });
});

describe("the search plan section: replication and REST objects", () => {
  it("shows the link follower → leader and where it was accepted, retained on delete", () => {
    const lines = markdown([hardened, connection, accepter]);
    expect(lines.slice(-2)).toEqual([
      "Cross-cluster replication: `vega-dr` (us-west-2, follower) → `vega-primary` (us-east-1, leader), alias `vega-primary`, DIRECT; accepted in us-east-1 (retained on delete).",
      "",
    ]);
  });

  it("marks a link without its acceptance (another link's accepter does not count)", () => {
    const elsewhere = recordedResource(ACCEPTER, "other-accept", {}, { region: "us-east-1" });
    expect(markdown([hardened, connection, elsewhere])).toContain(
      "Cross-cluster replication: `vega-dr` (us-west-2, follower) → `vega-primary` (us-east-1, leader), alias `vega-primary`, DIRECT; accepted in ?.",
    );
  });

  it("shows what a link or a policy recorded without its details lacks", () => {
    const bareLink = under(CONNECTION, "ccr-bare", {});
    const barePolicy = rest("bare", "smPolicy", {}, {});
    const lines = markdown([hardened, bareLink, barePolicy]);
    expect(lines).toContain(
      "Cross-cluster replication: `?` (?, follower) → `?` (?, leader), alias `?`, ?; accepted in ?.",
    );
    expect(lines).toContain("| bare | smPolicy | `?` UTC into `?`, deleted after ? |");
  });

  it("reads policies and domains however little of them was recorded", () => {
    const scheduleOnly = rest("schedule-only", "smPolicy", {
      body: { creation: { schedule: {} }, snapshot_config: {}, deletion: {} },
    });
    const creationOnly = rest("creation-only", "smPolicy", { body: { creation: {} } });
    const nothing = recordedResource(DOMAIN, "nothing", { domainName: "nothing" });
    const lines = markdown([nothing, scheduleOnly, creationOnly]);
    for (const name of ["schedule-only", "creation-only"])
      expect(lines).toContain(`| ${name} | smPolicy | \`?\` UTC into \`?\`, deleted after ? |`);
    expect(lines).toContain("| access control | fine-grained: off (master password NOT secret) |");
  });

  it("says nothing of a provider it was not given", () => {
    const { __provider: _, ...inputs } = objects[0]!.inputs;
    const withoutProvider = { ...objects[0]!, inputs };
    expect(markdown([hardened, withoutProvider]).join("\n")).not.toContain(
      "Serialised REST provider",
    );
  });

  it("lists every REST object by what it does, and the serialised provider's size and hash", () => {
    const lines = markdown([hardened, ...objects]);
    expect(lines.slice(lines.indexOf("| REST object | kind | what |"))).toEqual([
      "| REST object | kind | what |",
      "|---|---|---|",
      "| rule | autoFollowRule | rule `vega-all` follows `*` from `vega-primary` |",
      "| stopped | replicationStopped | replication STOPPED: rules vega-all, vega-logs deleted, follower indices stopped |",
      "| repo | snapshotRepository | s3://vault/opensearch/snapshots/us-west-2 (us-west-2) |",
      "| daily | smPolicy | `0 3 * * *` UTC into `vega-daily`, deleted after 30d |",
      "",
      // sha256("abc") = ba7816bf8f01cfea…
      "Serialised REST provider: 3 bytes, sha256 `ba7816bf8f01`.",
    ]);
  });

  it("writes the REST objects, without the provider, to opensearch/rest-objects.json", () => {
    expect(openSearchPlanExtension.artifacts!(planContext([hardened]))).toEqual([]);
    const [file, ...more] = openSearchPlanExtension.artifacts!(planContext([hardened, ...objects]));
    expect(more).toEqual([]);
    expect(file!.path).toBe("opensearch/rest-objects.json");
    expect(file!.content.endsWith("}\n]\n")).toBe(true);
    expect(JSON.parse(file!.content)).toEqual(
      objects.map((o) => ({
        name: o.name,
        kind: o.inputs.kind,
        region: "us-west-2",
        endpoint: "vpc-vega-dr.es.amazonaws.com",
        spec: o.inputs.spec,
      })),
    );
  });
});

describe("the search objectives", () => {
  it("names a link recorded without its domains by what it lacks", () => {
    const [row] = openSearchObjectives(planContext([under(CONNECTION, "ccr-bare", {})]));
    expect(row!.mechanism).toBe("OpenSearch cross-cluster replication ? → ?");
  });

  it("a link with no replication-lag alarm is best effort: unbounded, against region failover", () => {
    const rows = openSearchObjectives(planContext([hardened, connection, objects[0]!]));
    expect(rows).toEqual([
      {
        area: "opensearch",
        mechanism: "OpenSearch cross-cluster replication us-east-1 → us-west-2",
        rpo: "unbounded",
        basis:
          "1 auto-follow rule(s); CCR states no lag bound and no replication-lag alarm bounds it: best effort",
        target: SEED_RECOVERY_PROCEDURES.regionFailover,
        crossRegion: true,
      },
    ]);
  });
});

/**
 * The replication-lag alarm as alarms/builders.ts records it on the follower "vega-dr": leader
 * checkpoint at the period's start minus the follower's at its end, above 0, no data breaching.
 */
const lagAlarm = (change: (i: any) => void = () => undefined) => {
  const dimensions = {
    DomainName: "vega-dr",
    ClientId: "123456789012",
    LeaderAlias: "vega-primary",
  };
  const inputs: any = {
    name: "vega-dr-search-replication-lag",
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    treatMissingData: "breaching",
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    metricQueries: [
      {
        id: REPLICATION_LAG_QUERY.leader,
        metric: {
          metricName: "LeaderCheckPoint",
          stat: "Minimum",
          period: 300,
          dimensions: { ...dimensions },
        },
      },
      {
        id: REPLICATION_LAG_QUERY.follower,
        metric: {
          metricName: "FollowerCheckPoint",
          stat: "Maximum",
          period: 300,
          dimensions: { ...dimensions },
        },
      },
      { id: "lag", expression: REPLICATION_LAG_EXPRESSION, period: 300, returnData: true },
    ],
  };
  change(inputs);
  return recordedResource("aws:cloudwatch/metricAlarm:MetricAlarm", "lag-alarm", inputs);
};
const FOLLOWER = { domainNames: ["vega-dr"], leaderAlias: "vega-primary" };
const leaderQuery = (i: any) => i.metricQueries[0];
const followerQuery = (i: any) => i.metricQueries[1];

describe("the replication-lag alarm's bound", () => {
  it("an alarm of that shape bounds the unnoticed lag at (M + 1) periods plus the metric's minute", () => {
    // M = 2 breaching 5-minute periods: 3 × 300 s + 60 s.
    expect(replicationLagAlarmBound([hardened, lagAlarm()], FOLLOWER)).toEqual({
      alarm: "vega-dr-search-replication-lag",
      periodSeconds: 300,
      datapoints: 2,
      boundSeconds: 960,
    });
  });

  it("without datapointsToAlarm, every evaluation period must breach; without a name, the record's", () => {
    const bound = replicationLagAlarmBound(
      [
        lagAlarm((i) => {
          delete i.datapointsToAlarm;
          delete i.name;
        }),
      ],
      FOLLOWER,
    );
    expect(bound).toMatchObject({ alarm: "lag-alarm", datapoints: 3, boundSeconds: 4 * 300 + 60 });
  });

  it.each<[string, (i: any) => void]>([
    ["no metric queries", (i) => delete i.metricQueries],
    [
      "the leader's metric is another",
      (i) => (leaderQuery(i).metric.metricName = "FollowerCheckPoint"),
    ],
    [
      "the leader's checkpoint read at its maximum",
      (i) => (leaderQuery(i).metric.stat = "Maximum"),
    ],
    [
      "the follower's checkpoint read at its minimum",
      (i) => (followerQuery(i).metric.stat = "Minimum"),
    ],
    [
      "the follower's metric is another",
      (i) => (followerQuery(i).metric.metricName = "LeaderCheckPoint"),
    ],
    ["no follower query", (i) => i.metricQueries.splice(1, 1)],
    ["no leader query", (i) => i.metricQueries.splice(0, 1)],
    ["no expression", (i) => i.metricQueries.splice(2, 1)],
    [
      "no period anywhere",
      (i) => {
        for (const q of i.metricQueries) delete (q.metric ?? q).period;
      },
    ],
    [
      "another stack's domain",
      (i) => {
        leaderQuery(i).metric.dimensions.DomainName = "vega-other";
        followerQuery(i).metric.dimensions.DomainName = "vega-other";
      },
    ],
    [
      "leader and follower on different domains",
      (i) => (leaderQuery(i).metric.dimensions.DomainName = "vega-primary"),
    ],
    [
      "another connection's alias",
      (i) => (followerQuery(i).metric.dimensions.LeaderAlias = "vega-old"),
    ],
    [
      "metrics without dimensions",
      (i) => {
        delete leaderQuery(i).metric.dimensions;
        delete followerQuery(i).metric.dimensions;
      },
    ],
    [
      "another expression",
      (i) =>
        (i.metricQueries[2].expression = `${REPLICATION_LAG_QUERY.follower} - ${REPLICATION_LAG_QUERY.leader}`),
    ],
    ["no period on the expression", (i) => delete i.metricQueries[2].period],
    ["the leader read over another period", (i) => (leaderQuery(i).metric.period = 60)],
    ["the follower read over another period", (i) => (followerQuery(i).metric.period = 60)],
    ["fires only below the threshold", (i) => (i.comparisonOperator = "LessThanThreshold")],
    ["a threshold above 0", (i) => (i.threshold = 1000)],
    ["missing data not breaching", (i) => (i.treatMissingData = "notBreaching")],
    [
      "no datapoints nor evaluation periods",
      (i) => {
        delete i.datapointsToAlarm;
        delete i.evaluationPeriods;
      },
    ],
  ])("bounds nothing with %s", (_, change) => {
    expect(replicationLagAlarmBound([lagAlarm(change)], FOLLOWER)).toBeUndefined();
  });

  it("bounds nothing when leader and follower are two domains of the stack", () => {
    const twoDomains = { domainNames: ["vega-dr", "vega-dr-2"], leaderAlias: "vega-primary" };
    const alarm = lagAlarm((i) => (followerQuery(i).metric.dimensions.DomainName = "vega-dr-2"));
    expect(replicationLagAlarmBound([alarm], twoDomains)).toBeUndefined();
  });

  it("counts only the stack's domains, not a resource that merely names one", () => {
    const policyOnly = recordedResource("aws:opensearch/domainPolicy:DomainPolicy", "p", {
      domainName: "vega-dr",
    });
    const [row] = openSearchObjectives(planContext([connection, policyOnly, lagAlarm()]));
    expect(row!.rpo).toBe("unbounded");
  });

  it("reads only alarms: another resource with the same queries bounds nothing", () => {
    const notAnAlarm = { ...lagAlarm(), type: "aws:cloudwatch/compositeAlarm:CompositeAlarm" };
    expect(replicationLagAlarmBound([notAnAlarm], FOLLOWER)).toBeUndefined();
  });
});

describe("the search objectives: snapshots and replication", () => {
  const repository = (name: string, basePath: string) =>
    rest(`repo-${name}`, "snapshotRepository", {
      name,
      bucket: "vault",
      basePath,
      region: "us-west-2",
    });
  const policy = (name: string, repositoryName: string, cron?: string) =>
    rest(`policy-${name}`, "smPolicy", {
      name,
      body: {
        ...(cron ? { creation: { schedule: { cron: { expression: cron } } } } : {}),
        snapshot_config: { repository: repositoryName },
      },
    });

  it("a snapshot policy answers the seed 16.2 row of the vault prefix its repository writes under", () => {
    const rows = openSearchObjectives(
      planContext([
        // Named as their repositories, as the real ones are, and recorded before them.
        policy("vega-daily", "vega-daily", "0 3 * * *"),
        policy("vega-hourly", "vega-hourly", "15 * * * *"),
        repository("vega-daily", "opensearch/snapshots/us-west-2"),
        repository("vega-hourly", "opensearch/delta/us-west-2"),
      ]),
    );
    expect(rows.map((r) => [r.mechanism, r.rpo, r.target])).toEqual([
      [
        "OpenSearch snapshots `vega-daily` → opensearch/snapshots/us-west-2/ (us-west-2)",
        24 * 3600,
        SEED_BACKUP_OBJECTIVES.openSearchSnapshot,
      ],
      [
        "OpenSearch snapshots `vega-hourly` → opensearch/delta/us-west-2/ (us-west-2)",
        3600,
        SEED_BACKUP_OBJECTIVES.openSearchDelta,
      ],
    ]);
    expect(rows[0]!.basis).toBe(
      "snapshot cron `0 3 * * *` UTC: the longest gap between two snapshots (the restore time, RTO, is a drill's figure)",
    );
    expect(rows.every((r) => r.area === "opensearch" && r.crossRegion === undefined)).toBe(true);
  });

  it("answers no row for a policy without a cron, a repository outside the vault prefixes, or none", () => {
    const rows = openSearchObjectives(
      planContext([
        repository("vega-daily", "opensearch/snapshots/us-west-2"),
        repository("vega-old", "opensearch/snapshots-old/us-west-2"),
        policy("no-cron", "vega-daily"),
        policy("elsewhere", "vega-old", "0 3 * * *"),
        policy("orphan", "vega-missing", "0 3 * * *"),
        rest("no-body", "smPolicy", {}),
        rest("no-config", "smPolicy", { body: { creation: { schedule: { cron: {} } } } }),
        rest("no-schedule", "smPolicy", { body: { creation: {}, snapshot_config: {} } }),
        // Not a REST object, whatever its kind says.
        recordedResource("kubernetes:example.io/v1:Thing", "lookalike", {
          kind: "smPolicy",
          spec: {
            name: "x",
            body: {
              creation: { schedule: { cron: { expression: "0 3 * * *" } } },
              snapshot_config: { repository: "vega-daily" },
            },
          },
        }),
      ]),
    );
    expect(rows).toEqual([]);
  });

  it("a link with its lag alarm is bounded by it; only its own auto-follow rules count", () => {
    const otherRule = recordedResource(OPENSEARCH_REST_TYPE, "other-rule", {
      kind: "autoFollowRule",
      spec: {},
    });
    const [row, ...more] = openSearchObjectives(
      planContext([
        hardened,
        recordedResource(DOMAIN, "dr-domain", { domainName: "vega-dr" }),
        connection,
        objects[0]!,
        objects[2]!,
        otherRule,
        lagAlarm(),
      ]),
    );
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      rpo: 960,
      crossRegion: true,
      target: SEED_RECOVERY_PROCEDURES.regionFailover,
    });
    expect(row!.basis).toBe(
      "1 auto-follow rule(s); alarm `vega-dr-search-replication-lag` fires when the follower lacks writes the leader held 5 min before (LeaderCheckPoint at the period's start − FollowerCheckPoint at its end > 0, no data = breaching): lag unnoticed ≤ (2 + 1) × 5 min + 60 s",
    );
  });
});
