/**
 * Search config: an Amazon OpenSearch Service domain per region (seed 16.1 "OpenSearch Cluster",
 * 17.1 "OpenSearch Cluster (3+ nodes)"), cross-cluster replication into DR, snapshots into the
 * backup vault. Snapshot retention is NOT here: it is backup.retention.opensearchSnapshotDays and
 * opensearchDeltaDays (seed 16.2), the SM policies' max_age (the vault's lifecycle leaves the
 * repository prefixes' current versions to those policies).
 */
import { z } from "zod";
import {
  bool,
  integer,
  list,
  logRetentionDays,
  matching,
  refuse,
  section,
  slug,
  text,
} from "./types";

/** Seed 17.1: "OpenSearch Cluster (3+ nodes)". */
export const SEED_OPENSEARCH_MIN_DATA_NODES = 3;
/** Zone awareness over three Availability Zones: one private subnet per zone. */
export const OPENSEARCH_ZONES = 3;
/** Dedicated masters: three, so one lost zone still leaves a quorum of two. */
export const OPENSEARCH_MASTERS = 3;

/**
 * Oldest engine that does both jobs: cross-cluster replication needs OpenSearch 1.1 or later (AWS
 * developer guide, "Cross-cluster replication"), snapshot management policies 2.5 or later (AWS
 * developer guide, "Automating snapshots with Snapshot Management").
 */
export const MIN_ENGINE = { major: 2, minor: 5 } as const;

/** `OpenSearch_2.19` -> { major: 2, minor: 19 }; undefined for anything else. */
export function parseEngineVersion(v: string): { major: number; minor: number } | undefined {
  const m = /^OpenSearch_(\d+)\.(\d+)$/.exec(v);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * An OpenSearch Service instance type. Burstable T-class (and M3) instances are refused: AWS
 * does not run cross-cluster replication on them ("You can't use cross-cluster replication with
 * M3 or burstable (T2 and T3) instances", developer guide, CCR limitations).
 */
const instanceType = (what: string) =>
  matching(
    /^(?!t\d|m3\.)[a-z][a-z0-9-]*\.[a-z0-9]+\.search$/,
    `${what}: an OpenSearch instance type such as r6g.large.search, not burstable T-class or M3 (cross-cluster replication does not run there)`,
  );

const engineVersion = matching(
  /^OpenSearch_\d+\.\d+$/,
  "an engine version such as OpenSearch_2.19",
).refine(
  (v) => {
    // zod runs this check after the pattern failed too: a malformed version is the pattern's
    // problem (reported once, above), not a crash here.
    const p = parseEngineVersion(v);
    return (
      p === undefined ||
      p.major > MIN_ENGINE.major ||
      (p.major === MIN_ENGINE.major && p.minor >= MIN_ENGINE.minor)
    );
  },
  {
    error: () =>
      "expected OpenSearch_2.5 or later (snapshot management needs 2.5, cross-cluster replication 1.1)",
  },
);

/** An index pattern for auto-follow: wildcard matching only (replication plugin). */
const indexPattern = matching(
  /^[a-z0-9*][a-z0-9*._-]{0,254}$/,
  "an index pattern such as vega-* (lower case, * wildcards)",
);

export const opensearchSchema = section({
  /** Build the region's search domain. Default true (seed 16.1/17.1). */
  enabled: bool().default(true),
  /**
   * Engine version; the DR domain must run the same major version as the primary's (checked
   * against the contract). Default "OpenSearch_2.19".
   */
  engineVersion: engineVersion.default("OpenSearch_2.19"),
  data: section({
    /** Data node instance type. Default "r6g.large.search" (memory-optimised, Graviton). */
    instanceType: instanceType("data.instanceType").default("r6g.large.search"),
    /** Data nodes; a multiple of 3 (one share per zone). Default 3 (seed 17.1: 3+ nodes). */
    count: integer(SEED_OPENSEARCH_MIN_DATA_NODES, 80).default(SEED_OPENSEARCH_MIN_DATA_NODES),
  }),
  masters: section({
    /** Dedicated master instance type. Default "m6g.large.search". */
    instanceType: instanceType("masters.instanceType").default("m6g.large.search"),
  }),
  storage: section({
    /** gp3 volume per data node, GiB. Default 100. */
    volumeSizeGiB: integer(10, 24_576).default(100),
    /** gp3 baseline IOPS (3000-16000). Default 3000 (gp3's included baseline). */
    iops: integer(3_000, 16_000).default(3_000),
    /** gp3 throughput, MiB/s (125-1000, at most IOPS / 4). Default 125 (gp3's baseline). */
    throughputMiBps: integer(125, 1_000).default(125),
  }),
  /** Days the slow and error logs stay in CloudWatch Logs (an allowed retention value). Default 30. */
  logRetentionDays: logRetentionDays().default(30),
  /** Fine-grained access control's internal master user. Default "vega-admin". */
  masterUserName: matching(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    "a user name of letters, digits, - or _",
  ).default("vega-admin"),
  /**
   * Security groups allowed to reach the domain on 443 (the EKS cluster's node or pod groups, and
   * the network the deploying machine runs in: the REST calls go to the VPC endpoint). Default
   * none: only the domain's own group.
   */
  clientSecurityGroupIds: list(
    matching(/^sg-[0-9a-f]{8,17}$/, "a security group id such as sg-0a1b2c3d"),
    0,
    "a list of security group ids",
  ).default([]),
  replication: section({
    /**
     * Alias of the DR->primary connection (the auto-follow rule's leader_alias; the API takes
     * 2-100 characters, a letter first). Default "vega-primary".
     */
    connectionAlias: matching(
      /^[a-z][a-z0-9-]{1,39}$/,
      "2-40 lower-case letters, digits or dashes, a letter first",
    ).default("vega-primary"),
    /** Name of the auto-follow rule on the DR domain. Default "vega". */
    ruleName: slug(40).default("vega"),
    /** Leader index patterns that DR follows. Default ["vega-*"]. */
    indexPatterns: list(indexPattern, 1, "a list of at least one index pattern").default([
      "vega-*",
    ]),
    /**
     * Period of the replication-lag alarm on the DR domain, minutes: it fires when the follower
     * lacks writes the leader held one period ago, so while it is OK the lag (the search data a
     * region failover loses) stays under 2 × period + 1 min. Default 15 (31 min, within seed
     * 16.3 region_failover's 1 h RPO); above 29 the bound exceeds the hour.
     */
    lagAlarmPeriodMinutes: integer(1, 1440).default(15),
    /** FGAC roles the replication tasks run as (use_roles). Defaults: the plugin's built-in roles. */
    leaderRole: text("a role name").default("cross_cluster_replication_leader_full_access"),
    followerRole: text("a role name").default("cross_cluster_replication_follower_full_access"),
  }),
  snapshots: section({
    /** Cron (UTC) of the daily full snapshot into opensearch/snapshots/. Default "0 2 * * *". */
    dailyCron: matching(/^\S+( \S+){4}$/, "a 5-field cron expression").default("0 2 * * *"),
    /** Cron (UTC) of the hourly delta into opensearch/delta/. Default "15 * * * *". */
    hourlyCron: matching(/^\S+( \S+){4}$/, "a 5-field cron expression").default("15 * * * *"),
  }),
}).superRefine((o, ctx) => {
  if (o.data.count % OPENSEARCH_ZONES !== 0)
    refuse(
      ctx,
      ["data", "count"],
      o.data.count,
      `expected a multiple of ${OPENSEARCH_ZONES} (zone awareness spreads data nodes evenly over ${OPENSEARCH_ZONES} zones)`,
    );
  if (o.storage.throughputMiBps > o.storage.iops / 4)
    refuse(
      ctx,
      ["storage", "throughputMiBps"],
      o.storage.throughputMiBps,
      `expected at most ${o.storage.iops / 4} (gp3 allows 0.25 MiB/s per provisioned IOPS)`,
    );
});

export type OpenSearchConfig = z.infer<typeof opensearchSchema>;

/**
 * Cross-key rule on the raw config: zone awareness over 3 zones needs a private subnet in each
 * (the domain gets one subnet per zone). Only checkable here when the network is in config; a
 * platform stack's network is checked by the component when its outputs arrive.
 */
export function opensearchPlacementProblems(
  raw: Record<string, unknown>,
): { path: string[]; input: unknown; message: string }[] {
  const os = raw.opensearch as { enabled?: unknown } | undefined;
  if (os?.enabled === false) return [];
  const subnets = (raw.platform as { network?: { privateSubnetIds?: unknown } } | undefined)
    ?.network?.privateSubnetIds;
  if (!Array.isArray(subnets) || subnets.length >= OPENSEARCH_ZONES) return [];
  return [
    {
      path: ["platform", "network", "privateSubnetIds"],
      input: subnets,
      message: `expected at least ${OPENSEARCH_ZONES} subnets (one per zone): the OpenSearch domain is zone-aware over ${OPENSEARCH_ZONES} zones (or set vega-ha:opensearch.enabled false)`,
    },
  ];
}
