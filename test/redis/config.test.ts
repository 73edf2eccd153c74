import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parseStackConfig,
  rawProjectConfig,
  redisSchema,
  sentinelMajority,
  SEED_REDIS_MIN_NODES,
  type ConfigProblem,
} from "../../config";
import { stackFileConfig } from "../harness/stack-config";

/** The primary stack's real config, its redis section replaced. */
const base = rawProjectConfig(stackFileConfig("primary").config);

function problems(redis: unknown): ConfigProblem[] {
  try {
    parseStackConfig({ ...base, redis });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}
const keys = (redis: unknown) => problems(redis).map((p) => p.key);

describe("vega-ha:redis config", () => {
  it("defaults to a sound group: 3 nodes (seed 17.1), 3 Sentinels with quorum 2, writes need a replica", () => {
    const r = redisSchema.parse({});
    expect(r.nodes).toBe(SEED_REDIS_MIN_NODES);
    expect(r.sentinel).toMatchObject({ count: 3, quorum: 2, parallelSyncs: 1 });
    expect(r.sentinel.failoverTimeoutMs).toBeGreaterThan(r.sentinel.downAfterMs);
    expect(r.replication.minReplicasToWrite).toBe(1);
    expect(r.persistence.aof).toBe(true);
    expect(r.memory.maxmemoryMb).toBeLessThanOrEqual(r.memory.limitMb * 0.75);
  });

  it("refuses each invalid combination, naming its full key", () => {
    expect(keys({ sentinel: { count: 3, quorum: 4 } })).toEqual(["vega-ha:redis.sentinel.quorum"]);
    expect(keys({ sentinel: { count: 1, quorum: 1 } })).toEqual([
      "vega-ha:redis.sentinel.count",
      "vega-ha:redis.sentinel.quorum",
    ]);
    expect(keys({ sentinel: { count: 4, quorum: 3 } })).toEqual(["vega-ha:redis.sentinel.count"]);
    expect(keys({ sentinel: { downAfterMs: 30_000, failoverTimeoutMs: 20_000 } })).toEqual([
      "vega-ha:redis.sentinel.failoverTimeoutMs",
    ]);
    expect(keys({ replication: { minReplicasToWrite: 3 } })).toEqual([
      "vega-ha:redis.replication.minReplicasToWrite",
    ]);
    expect(keys({ memory: { maxmemoryMb: 2048, limitMb: 2048 } })).toEqual([
      "vega-ha:redis.memory.maxmemoryMb",
    ]);
    expect(keys({ nodes: 2 })).toEqual(["vega-ha:redis.nodes"]);
  });

  it("says what is wrong and what was given", () => {
    const [p] = problems({ sentinel: { count: 4 } });
    expect(p!.message).toMatch(/odd number of Sentinels.*got 4/);
    const [q] = problems({ sentinel: { quorum: 5 } });
    expect(q!.message).toMatch(/at most 3 \(sentinel.count\).*got 5/);
  });

  it("lets Prometheus scrape from the monitoring namespace unless told otherwise; refuses bad labels by key", () => {
    const r = redisSchema.parse({});
    // kube-prometheus-stack's usual namespace, by the label Kubernetes puts on every namespace.
    expect(r.metrics.scraperNamespaceLabels).toEqual({
      "kubernetes.io/metadata.name": "monitoring",
    });
    expect(r.metrics.scraperPodLabels).toEqual({});
    expect(keys({ metrics: { scraperNamespaceLabels: {} } })).toEqual([
      "vega-ha:redis.metrics.scraperNamespaceLabels",
    ]);
    expect(keys({ metrics: { scraperPodLabels: { app: "not a label value" } } })).toEqual([
      "vega-ha:redis.metrics.scraperPodLabels.app",
    ]);
  });

  it("takes label keys as Kubernetes does: an optional DNS prefix, a name of 1 to 63", () => {
    const labelKey = (key: string) =>
      redisSchema.safeParse({ metrics: { scraperPodLabels: { [key]: "v" } } }).success;
    const name63 = `a${"b".repeat(61)}c`;
    for (const key of ["k", "a/k", "ab/k", "app.kubernetes.io/name", "x-y.z/A_b.C", name63])
      expect(labelKey(key), key).toBe(true);
    for (const key of ["", "-k", "k-", "/k", "a-/k", "A/k", "a/", `${name63}d`, "a b"])
      expect(labelKey(key), key).toBe(false);
  });

  it("takes label values of 0 to 63 characters and says why one is refused", () => {
    const podLabels = (value: string) =>
      problems({ metrics: { scraperPodLabels: { app: value } } }).map(
        (p) => `${p.key}: ${p.message}`,
      );
    for (const value of ["", "v", "prometheus", `a${"b".repeat(61)}c`])
      expect(podLabels(value), value).toEqual([]);
    for (const value of ["-v", "v-", `a${"b".repeat(62)}c`])
      expect(podLabels(value), value).toEqual([
        `vega-ha:redis.metrics.scraperPodLabels.app: expected a map of Kubernetes labels (key: value): invalid label value, got ${JSON.stringify(value)}`,
      ]);
  });

  it("takes a cluster domain of one or more DNS labels; pins the images it runs", () => {
    for (const domain of ["local", "cluster.local", "svc.corp.example"])
      expect(redisSchema.parse({ clusterDomain: domain }).clusterDomain).toBe(domain);
    const refused = (redis: Record<string, unknown>) =>
      problems(redis).map((p) => `${p.key}: ${p.message}`);
    expect(refused({ clusterDomain: "cluster..local" })).toEqual([
      'vega-ha:redis.clusterDomain: expected a DNS domain such as cluster.local, got "cluster..local"',
    ]);
    // Official images at fixed tags (the drill runs the same Redis), unless the stack says.
    expect(redisSchema.parse({}).images).toEqual({
      redis: "redis:7.0.15",
      exporter: "oliver006/redis_exporter:v1.62.0",
    });
    expect(refused({ images: { redis: "", exporter: "" } })).toEqual([
      'vega-ha:redis.images.redis: expected an image reference, got ""',
      'vega-ha:redis.images.exporter: expected an image reference, got ""',
    ]);
  });

  it("says what is wrong with a Sentinel group, a write guard or a memory cap, on its key", () => {
    const refused = (redis: Record<string, unknown>) =>
      problems(redis).map((p) => `${p.key.replace("vega-ha:redis.", "")}: ${p.message}`);
    expect(refused({ sentinel: { count: 1, quorum: 1 } })).toEqual([
      "sentinel.count: expected at least 3 Sentinels, so that losing one still leaves a majority to authorise a failover, got 1",
      "sentinel.quorum: expected at least 2: one Sentinel alone must not declare the master down, got 1",
    ]);
    expect(refused({ sentinel: { count: 6 } })).toEqual([
      "sentinel.count: expected an odd number of Sentinels: 6 tolerates no more failures than 5, got 6",
    ]);
    expect(refused({ sentinel: { downAfterMs: 20_000, failoverTimeoutMs: 20_000 } })).toEqual([
      "sentinel.failoverTimeoutMs: expected more than sentinel.downAfterMs (20000), got 20000",
    ]);
    expect(refused({ nodes: 4, replication: { minReplicasToWrite: 4 } })).toEqual([
      "replication.minReplicasToWrite: expected at most 3 (nodes - 1), or the master refuses every write, got 4",
    ]);
    // 75 % of 1000 MB: 750 is the cap itself, 751 over it.
    expect(refused({ memory: { limitMb: 1000, maxmemoryMb: 750 } })).toEqual([]);
    expect(refused({ memory: { limitMb: 1000, maxmemoryMb: 751 } })).toEqual([
      "memory.maxmemoryMb: expected at most 750 (75% of memory.limitMb), leaving room for fork, buffers and fragmentation, got 751",
    ]);
    expect(refused({ metrics: { interval: "30" } })).toEqual([
      'metrics.interval: expected a duration such as 30s, got "30"',
    ]);
  });

  it("a failover needs a strict majority of all Sentinels", () => {
    expect([3, 4, 5, 7].map(sentinelMajority)).toEqual([2, 3, 3, 4]);
  });

  it("refuses unknown keys and wrong types", () => {
    expect(keys({ sentinels: 3 })).toEqual(["vega-ha:redis.sentinels"]);
    expect(keys({ persistence: { aof: "yes" } })).toEqual(["vega-ha:redis.persistence.aof"]);
    expect(keys({ memory: { policy: "lru" } })).toEqual(["vega-ha:redis.memory.policy"]);
  });

  it("accepts a Sentinel count and quorum exactly when the count is odd and >= 3 and the quorum is from 2 to the count", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 15 }),
        (count, quorum) => {
          const ok = count >= 3 && count % 2 === 1 && quorum >= 2 && quorum <= count;
          expect(redisSchema.safeParse({ sentinel: { count, quorum } }).success).toBe(ok);
        },
      ),
    );
  });
});
