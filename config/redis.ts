/**
 * Cache config: Redis with Sentinel (seed 17.1 "Redis 3+ nodes", 17.5 "Sentinel automatic
 * master/replica switch"). The seed gives no figures beyond the node count; the defaults below
 * are ours, each with its reason. Cross-key rules live in `redisSettingsProblems`, shared by the
 * schema and the component's argument check.
 */
import { z } from "zod";
import { bool, integer, matching, oneOf, refuse, section, slug, text } from "./types";

/** Seed 17.1: "Redis Cluster (3+ nodes)". */
export const SEED_REDIS_MIN_NODES = 3;

/** Redis' eviction policies (redis.conf `maxmemory-policy`). */
export const MAXMEMORY_POLICIES = [
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "noeviction",
] as const;

/** maxmemory may use at most this share of the container's memory limit. */
export const MAXMEMORY_SHARE_OF_LIMIT = 0.75;

/** The namespace kube-prometheus-stack is usually installed in, by the label Kubernetes sets itself. */
export const DEFAULT_SCRAPER_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
  "kubernetes.io/metadata.name": "monitoring",
};

/** Kubernetes label keys (optional DNS prefix, a name of at most 63) and values (at most 63). */
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A label selector's matchLabels: at least `min` entries of valid keys and values. */
function labelMap(min: number) {
  const what = `a map of Kubernetes labels (key: value)${min > 0 ? `, at least ${min}` : ""}`;
  return z
    .record(
      // zod reports a key that fails this with the record's own error (below).
      z.string().regex(LABEL_KEY),
      z.string({ error: () => `expected ${what}` }).regex(LABEL_VALUE, {
        error: () => `expected ${what}: invalid label value`,
      }),
      { error: () => `expected ${what}` },
    )
    .refine((m) => Object.keys(m).length >= min);
}

export const redisSchema = section({
  /** Sentinel's name for the master group; clients ask Sentinel for this name. Default "vega-cache". */
  masterGroup: slug(40).default("vega-cache"),
  /** Redis pods: one master, the rest replicas. Default 3 (seed 17.1: 3+ nodes). */
  nodes: integer(SEED_REDIS_MIN_NODES, 9).default(SEED_REDIS_MIN_NODES),
  sentinel: section({
    /** Sentinel pods. Odd and at least 3, so one lost Sentinel still leaves a majority. Default 3. */
    count: integer(1, 15).default(3),
    /** Sentinels that must agree the master is down before a failover starts. Default 2 (of 3). */
    quorum: integer(1, 15).default(2),
    /**
     * `down-after-milliseconds`: how long the master must be unreachable before a Sentinel calls it
     * down. Default 5000: a failover within seconds for a cache, above a pod's GC or network blip.
     */
    downAfterMs: integer(1_000, 600_000).default(5_000),
    /**
     * `failover-timeout`: time a failover may take (and twice it: before the same master is
     * failed over again). Must exceed downAfterMs. Default 60000.
     */
    failoverTimeoutMs: integer(1_000, 3_600_000).default(60_000),
    /** `parallel-syncs`: replicas resynchronised with a new master at once. Default 1 (the others keep serving). */
    parallelSyncs: integer(1, 8).default(1),
  }),
  replication: section({
    /**
     * `min-replicas-to-write`: the master refuses writes unless this many replicas are connected
     * and current. Default 1: an isolated old master cannot accept writes that a failover would lose.
     */
    minReplicasToWrite: integer(1, 8).default(1),
    /** `min-replicas-max-lag`: seconds since a replica's last acknowledgement for it to count. Default 10. */
    minReplicasMaxLagSeconds: integer(1, 60).default(10),
  }),
  memory: section({
    /** `maxmemory` in MiB. At most 75 % of limitMb (fork, buffers, fragmentation). Default 1024. */
    maxmemoryMb: integer(16, 1_048_576).default(1024),
    /** `maxmemory-policy`. Default "allkeys-lru": this is a cache, any key may be evicted. */
    policy: oneOf(MAXMEMORY_POLICIES).default("allkeys-lru"),
    /** Memory request and limit of the redis container, in MiB. Default 1536. */
    limitMb: integer(64, 1_400_000).default(1536),
    /** CPU request of the redis container, in millicores. Default 250. */
    cpuMillis: integer(10, 64_000).default(250),
  }),
  persistence: section({
    /**
     * Append-only file on a PersistentVolumeClaim per pod. Default true: a restarted pod resyncs
     * from its own data instead of a full copy. Off: no persistence at all, emptyDir only.
     */
    aof: bool().default(true),
    /** `appendfsync`. Default "everysec". */
    appendfsync: oneOf(["always", "everysec", "no"] as const).default("everysec"),
    /** Size of each pod's volume in GiB (only with aof). Default 10. */
    storageGi: integer(1, 16_384).default(10),
    /** StorageClass of those volumes. Default: the cluster's default class. */
    storageClass: slug(63).optional(),
  }),
  /**
   * How pods spread over zones: "required" (one pod per zone, pods stay Pending when zones are
   * short) or "preferred" (spread when possible). Pods never share a node. Default "required".
   */
  zoneSpread: oneOf(["required", "preferred"] as const).default("required"),
  /** Cluster DNS domain used in pod hostnames. Default "cluster.local". */
  clusterDomain: matching(
    /^([a-z0-9-]+\.)*[a-z0-9-]+$/,
    "a DNS domain such as cluster.local",
  ).default("cluster.local"),
  images: section({
    /** Official Redis image (not Bitnami); the drill runs the same Redis version. Default "redis:7.0.15". */
    redis: text("an image reference").default("redis:7.0.15"),
    /** Prometheus exporter sidecar. Default "oliver006/redis_exporter:v1.62.0". */
    exporter: text("an image reference").default("oliver006/redis_exporter:v1.62.0"),
  }),
  metrics: section({
    /** Scrape interval of the exporters (the ServiceMonitor's `release` label is observability.prometheusRelease). Default "30s". */
    interval: matching(/^\d+[sm]$/, "a duration such as 30s").default("30s"),
    /**
     * Labels of the namespace Prometheus scrapes from: the NetworkPolicy lets pods there reach the
     * exporters' metrics port. Default `{"kubernetes.io/metadata.name": "monitoring"}` (the label
     * Kubernetes sets on every namespace; kube-prometheus-stack installed in `monitoring`).
     */
    scraperNamespaceLabels: labelMap(1).default({ ...DEFAULT_SCRAPER_NAMESPACE_LABELS }),
    /** Labels of Prometheus' pods inside that namespace. Default `{}`: any pod of the namespace. */
    scraperPodLabels: labelMap(0).default({}),
  }),
}).superRefine((r, ctx) => {
  for (const p of redisSettingsProblems(r)) refuse(ctx, p.path, p.input, p.message);
});

export type RedisConfig = z.infer<typeof redisSchema>;

/** The keys the cross-key rules read; a subset of RedisConfig so the component can reuse them. */
export type RedisRuleInputs = Pick<RedisConfig, "nodes" | "sentinel" | "replication" | "memory">;

export interface RedisSettingsProblem {
  /** Path under `redis`, e.g. ["sentinel", "quorum"]. */
  path: string[];
  input: unknown;
  message: string;
}

/** Combinations Sentinel or Redis would accept but that cannot work; each names its key. */
export function redisSettingsProblems(r: RedisRuleInputs): RedisSettingsProblem[] {
  const problems: RedisSettingsProblem[] = [];
  const { count, quorum, downAfterMs, failoverTimeoutMs } = r.sentinel;
  if (count < 3) {
    problems.push({
      path: ["sentinel", "count"],
      input: count,
      message:
        "expected at least 3 Sentinels, so that losing one still leaves a majority to authorise a failover",
    });
  } else if (count % 2 === 0) {
    problems.push({
      path: ["sentinel", "count"],
      input: count,
      message: `expected an odd number of Sentinels: ${count} tolerates no more failures than ${count - 1}`,
    });
  }
  if (quorum > count) {
    problems.push({
      path: ["sentinel", "quorum"],
      input: quorum,
      message: `expected at most ${count} (sentinel.count), or the master is never declared down`,
    });
  } else if (quorum < 2) {
    problems.push({
      path: ["sentinel", "quorum"],
      input: quorum,
      message: "expected at least 2: one Sentinel alone must not declare the master down",
    });
  }
  if (failoverTimeoutMs <= downAfterMs) {
    problems.push({
      path: ["sentinel", "failoverTimeoutMs"],
      input: failoverTimeoutMs,
      message: `expected more than sentinel.downAfterMs (${downAfterMs})`,
    });
  }
  if (r.replication.minReplicasToWrite > r.nodes - 1) {
    problems.push({
      path: ["replication", "minReplicasToWrite"],
      input: r.replication.minReplicasToWrite,
      message: `expected at most ${r.nodes - 1} (nodes - 1), or the master refuses every write`,
    });
  }
  const maxmemoryCap = Math.floor(r.memory.limitMb * MAXMEMORY_SHARE_OF_LIMIT);
  if (r.memory.maxmemoryMb > maxmemoryCap) {
    problems.push({
      path: ["memory", "maxmemoryMb"],
      input: r.memory.maxmemoryMb,
      message: `expected at most ${maxmemoryCap} (75% of memory.limitMb), leaving room for fork, buffers and fragmentation`,
    });
  }
  return problems;
}

/** Sentinels whose agreement a failover needs (a strict majority of all Sentinels). */
export const sentinelMajority = (count: number) => Math.floor(count / 2) + 1;
