/**
 * The workload rules of policies/kubernetes.ts beyond their mutations on the real stacks: the
 * edge cases the real stacks do not show (percentages, a warm standby of one pod, selectors with
 * expressions, settings inherited from the pod).
 */
import { describe, expect, it } from "vitest";
import {
  containersNonRoot,
  containersProbed,
  disruptionsAllowed,
  replicasAtLeastSeed,
  selects,
  workloadsHaveDisruptionBudget,
  workloadsSpreadOverZones,
} from "../../policies/kubernetes";
import type { VegaPolicy } from "../../policies/rule";
import { runPolicies } from "../../policies/runner";
import type { RecordedResource } from "../harness";
import { recordedResource } from "../harness/records";
import { seedLoadBalancer } from "../harness/seed";

/** Seed 17.2: one gateway node per load-balancer backend (gateway-1..3). */
const GATEWAY_NODES = seedLoadBalancer().backends.length;
/** Seed 17.1: Redis 3+ nodes (a figure in a diagram, not a table: written here). */
const REDIS_NODES = 3;

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const labels = (app: string, component = "main") => ({
  "app.kubernetes.io/name": app,
  "app.kubernetes.io/component": component,
});

function workload(
  type: string,
  name: string,
  o: { app?: string; component?: string; replicas?: number; pod?: Record<string, unknown> } = {},
): RecordedResource {
  const l = labels(o.app ?? name, o.component);
  return recordedResource(type, name, {
    metadata: { name, namespace: "vega" },
    spec: {
      ...(o.replicas === undefined ? {} : { replicas: o.replicas }),
      selector: { matchLabels: l },
      template: {
        metadata: { labels: l },
        spec: { containers: [{ name: "main", image: "x:1" }], ...o.pod },
      },
    },
  });
}
const budget = (name: string, app: string, spec: Record<string, unknown>) =>
  recordedResource("kubernetes:policy/v1:PodDisruptionBudget", name, {
    metadata: { name, namespace: "vega" },
    spec: { selector: { matchLabels: { "app.kubernetes.io/name": app } }, ...spec },
  });
const autoscaler = (name: string, target: string, minReplicas: number, maxReplicas: number) =>
  recordedResource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name, {
    metadata: { name, namespace: "vega" },
    spec: { scaleTargetRef: { kind: "Deployment", name: target }, minReplicas, maxReplicas },
  });

async function messages(policy: VegaPolicy, resources: RecordedResource[]): Promise<string[]> {
  return (await runPolicies(resources, {}, [policy])).violations.map((v) => v.message);
}

describe("label selectors, as Kubernetes evaluates them (an empty one selects nothing here)", () => {
  const labels = { app: "vega", tier: "cache" };
  it.each([
    [{ matchLabels: { app: "vega" } }, true],
    [{ matchLabels: { app: "vega", tier: "web" } }, false],
    [{ matchExpressions: [{ key: "tier", operator: "In", values: ["cache", "web"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "In", values: ["web"] }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "In", values: ["cache"] }] }, false],
    [{ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["cache"] }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, true],
    [{ matchExpressions: [{ key: "app", operator: "Exists" }] }, true],
    [{ matchExpressions: [{ key: "zone", operator: "Exists" }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, true],
    [{ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, false],
    [{ matchExpressions: [{ key: "app", operator: "Gt", values: ["1"] }] }, false],
    [
      { matchLabels: { app: "vega" }, matchExpressions: [{ key: "zone", operator: "Exists" }] },
      false,
    ],
    [{}, false],
    [undefined, false],
  ])("%j selects %s", (selector, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });
});

describe("how many pods a disruption budget lets a drain evict", () => {
  it.each([
    [{ maxUnavailable: 1 }, 3, 1],
    [{ maxUnavailable: "25%" }, 3, 1],
    [{ maxUnavailable: 0 }, 3, 0],
    [{ maxUnavailable: "34%" }, 3, 2],
    [{ minAvailable: 2 }, 3, 1],
    [{ minAvailable: "50%" }, 3, 1],
    [{ minAvailable: "2" }, 3, 1],
    [{ maxUnavailable: 0, minAvailable: 1 }, 3, 0],
  ])("%j of %i pods: %i", (spec, n, allowed) => {
    expect(disruptionsAllowed(spec, n)).toBe(allowed);
  });

  it("is NaN for a budget that sets neither field, or a value that is no count or percentage", () => {
    expect(disruptionsAllowed({}, 3)).toBeNaN();
    for (const value of ["x50%", "50%x", "half"])
      expect(disruptionsAllowed({ maxUnavailable: value }, 4), value).toBeNaN();
  });
});

describe("vega-workloads-have-disruption-budget", () => {
  it("passes one budget that permits a drain, and a warm standby of one pod that a drain may empty", async () => {
    expect(
      await messages(workloadsHaveDisruptionBudget, [
        workload(DEPLOYMENT, "web", { replicas: 3 }),
        budget("web-pdb", "web", { minAvailable: 2 }),
        workload(DEPLOYMENT, "standby"),
        autoscaler("standby-hpa", "standby", 1, 3),
        budget("standby-pdb", "standby", { maxUnavailable: 1 }),
      ]),
    ).toEqual([]);
  });

  it("counts an autoscaled workload at its minReplicas, and keeps a majority of voters", async () => {
    expect(
      await messages(workloadsHaveDisruptionBudget, [
        workload(DEPLOYMENT, "pool"),
        autoscaler("pool-hpa", "pool", 2, 6),
        budget("pool-pdb", "pool", { maxUnavailable: "100%" }),
        workload(STATEFUL_SET, "redis-sentinel", { replicas: 5 }),
        budget("sentinel-pdb", "redis-sentinel", { maxUnavailable: 3 }),
        workload(STATEFUL_SET, "other", { replicas: 5 }),
        budget("other-pdb", "other", { maxUnavailable: 3 }),
      ]),
    ).toEqual([
      "pool-pdb: a drain may evict all 2 pods of pool (Deployment)",
      "sentinel-pdb: a drain may leave 2 of redis-sentinel (StatefulSet)'s 5 voters, below a majority of 3",
    ]);
  });

  it("finds a workload's autoscaler by namespace, kind and name, past partial ones", async () => {
    const decoy = (name: string, change: (spec: any, metadata: any) => void) => {
      const hpa = autoscaler(name, "pool", 5, 9);
      const inputs = hpa.inputs as { spec: any; metadata: any };
      change(inputs.spec, inputs.metadata);
      return hpa;
    };
    const resources = [
      workload(DEPLOYMENT, "pool"),
      recordedResource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "no-spec", {
        metadata: { name: "no-spec", namespace: "vega" },
      }),
      decoy("no-target", (spec) => delete spec.scaleTargetRef),
      decoy("other-namespace", (_spec, metadata) => (metadata.namespace = "other")),
      decoy("other-kind", (spec) => (spec.scaleTargetRef.kind = "StatefulSet")),
      decoy("other-name", (spec) => (spec.scaleTargetRef.name = "pool-b")),
      recordedResource(DEPLOYMENT.replace("Deployment", "ReplicaSet"), "not-an-hpa", {
        metadata: { namespace: "vega" },
        spec: { scaleTargetRef: { kind: "Deployment", name: "pool" }, minReplicas: 5 },
      }),
      autoscaler("pool-hpa", "pool", 2, 6),
      budget("pool-pdb", "pool", { maxUnavailable: "100%" }),
    ];
    expect(await messages(workloadsHaveDisruptionBudget, resources)).toEqual([
      "pool-pdb: a drain may evict all 2 pods of pool (Deployment)",
    ]);
  });

  it("takes the voters from config", async () => {
    const resources = [
      workload(STATEFUL_SET, "quorum", { replicas: 3 }),
      budget("quorum-pdb", "quorum", { maxUnavailable: 2 }),
    ];
    const config = {
      [workloadsHaveDisruptionBudget.name]: { quorumApps: "redis-sentinel, quorum" },
    };
    const report = await runPolicies(resources, config, [workloadsHaveDisruptionBudget]);
    expect(report.violations.map((v) => v.message)).toEqual([
      "quorum-pdb: a drain may leave 1 of quorum (StatefulSet)'s 3 voters, below a majority of 2",
    ]);
  });

  it("ignores a budget in another namespace", async () => {
    const elsewhere = budget("web-pdb", "web", { maxUnavailable: 1 });
    (elsewhere.inputs as { metadata: { namespace: string } }).metadata.namespace = "other";
    expect(
      await messages(workloadsHaveDisruptionBudget, [
        workload(DEPLOYMENT, "web", { replicas: 3 }),
        elsewhere,
      ]),
    ).toEqual(["web (Deployment): no PodDisruptionBudget selects its pods"]);
  });
});

describe("vega-workloads-have-disruption-budget, its other refusals", () => {
  it("names the budgets when several select one workload's pods (evictions then fail)", async () => {
    expect(
      await messages(workloadsHaveDisruptionBudget, [
        workload(DEPLOYMENT, "web", { replicas: 3 }),
        budget("web-pdb", "web", { maxUnavailable: 1 }),
        budget("web-pdb-2", "web", { minAvailable: 1 }),
      ]),
    ).toEqual([
      "web (Deployment): 2 PodDisruptionBudgets select its pods (web-pdb, web-pdb-2); evictions fail",
    ]);
  });

  it("flags a budget that sets no bound, and one that blocks every drain", async () => {
    expect(
      await messages(workloadsHaveDisruptionBudget, [
        workload(DEPLOYMENT, "web", { replicas: 3 }),
        budget("web-pdb", "web", {}),
        workload(STATEFUL_SET, "db", { replicas: 2 }),
        budget("db-pdb", "db", { minAvailable: "100%" }),
      ]),
    ).toEqual([
      "web-pdb: sets neither minAvailable nor maxUnavailable",
      "db-pdb: allows no eviction of db (StatefulSet)'s 2 pods: a node drain blocks",
    ]);
  });
});

describe("vega-containers-probed", () => {
  it("asks every container of a long-running workload for both probes, never a Job's", async () => {
    const probed = { readinessProbe: { httpGet: { path: "/", port: 1 } } };
    expect(
      await messages(containersProbed, [
        workload(DEPLOYMENT, "web", { pod: { containers: [{ name: "main", ...probed }] } }),
        recordedResource("kubernetes:batch/v1:CronJob", "job", {
          spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "c" }] } } } } },
        }),
      ]),
    ).toEqual(["container main has no livenessProbe"]);
  });
});

describe("vega-replicas-at-least-seed", () => {
  it("holds the gateway and Redis to the seed's counts", async () => {
    expect(
      await messages(replicasAtLeastSeed, [
        workload(DEPLOYMENT, "gw", { component: "gateway", replicas: GATEWAY_NODES - 1 }),
        workload(STATEFUL_SET, "nodes", { app: "redis", replicas: REDIS_NODES }),
      ]),
    ).toEqual([
      `gw (Deployment): ${GATEWAY_NODES - 1} pods, the seed needs at least ${GATEWAY_NODES}`,
    ]);
  });

  it("flags Redis below three nodes, an autoscaled Deployment with replicas, an inverted autoscaler", async () => {
    expect(
      await messages(replicasAtLeastSeed, [
        workload(STATEFUL_SET, "nodes", { app: "redis", replicas: REDIS_NODES - 1 }),
        workload(DEPLOYMENT, "pool", { replicas: 2 }),
        autoscaler("pool-hpa", "pool", 2, 6),
        autoscaler("inverted-hpa", "nothing", 3, 2),
      ]),
    ).toEqual([
      `nodes (StatefulSet): ${REDIS_NODES - 1} pods, the seed needs at least ${REDIS_NODES}`,
      "pool (Deployment): sets replicas 2 although pool-hpa scales it (every update resets the scale)",
      "inverted-hpa: maxReplicas 2 below minReplicas 3",
    ]);
  });

  it("holds autoscalers to minWorkerReplicas (default 1), min equal to max allowed, partial ones read as Kubernetes would", async () => {
    const resources = [
      autoscaler("fixed-hpa", "nothing", 2, 2),
      autoscaler("zero-hpa", "nothing", 0, 2),
      // No spec: minReplicas defaults to 1, maxReplicas is missing (Kubernetes requires it).
      recordedResource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "bare-hpa", {
        metadata: { name: "bare-hpa", namespace: "vega" },
      }),
      // A DaemonSet has no replica count: not held to one, even with the gateway's label.
      recordedResource("kubernetes:apps/v1:DaemonSet", "agent", {
        spec: { template: { metadata: { labels: labels("agent", "gateway") } } },
      }),
      recordedResource(DEPLOYMENT, "no-spec", {}),
    ];
    expect(await messages(replicasAtLeastSeed, resources)).toEqual([
      "zero-hpa: minReplicas 0, at least 1",
      "bare-hpa: maxReplicas NaN below minReplicas 1",
    ]);
    const strict = await runPolicies(
      resources,
      { [replicasAtLeastSeed.name]: { minWorkerReplicas: 2 } },
      [replicasAtLeastSeed],
    );
    expect(strict.violations.map((v) => v.message)).toEqual([
      "zero-hpa: minReplicas 0, at least 2",
      "bare-hpa: minReplicas 1, at least 2",
      "bare-hpa: maxReplicas NaN below minReplicas 1",
    ]);
  });
});

describe("vega-workloads-spread-over-zones", () => {
  const zone = "topology.kubernetes.io/zone";
  it("accepts a preferred anti-affinity on the zone, skips a single pod, flags a host-only spread", async () => {
    const term = (app: string, topologyKey: string) => ({
      labelSelector: { matchLabels: { "app.kubernetes.io/name": app } },
      topologyKey,
    });
    expect(
      await messages(workloadsSpreadOverZones, [
        workload(DEPLOYMENT, "preferred", {
          replicas: 3,
          pod: {
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, podAffinityTerm: term("preferred", zone) },
                ],
              },
            },
          },
        }),
        workload(DEPLOYMENT, "single", { replicas: 1 }),
        workload(DEPLOYMENT, "hosts", {
          replicas: 3,
          pod: {
            topologySpreadConstraints: [{ maxSkew: 1, ...term("hosts", "kubernetes.io/hostname") }],
          },
        }),
        workload(DEPLOYMENT, "other-pods", {
          replicas: 3,
          pod: { topologySpreadConstraints: [{ maxSkew: 1, ...term("someone-else", zone) }] },
        }),
      ]),
    ).toEqual([
      "hosts (Deployment): its pods may all land in one zone",
      "other-pods (Deployment): its pods may all land in one zone",
    ]);
  });

  it("asks it of two pods already, of required anti-affinity and spread constraints alike, not of a DaemonSet", async () => {
    const term = (app: string) => ({
      labelSelector: { matchLabels: { "app.kubernetes.io/name": app } },
      topologyKey: zone,
    });
    expect(
      await messages(workloadsSpreadOverZones, [
        workload(DEPLOYMENT, "pair", { replicas: 2 }),
        workload(STATEFUL_SET, "required", {
          replicas: 3,
          pod: {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [term("required")],
              },
            },
          },
        }),
        workload(DEPLOYMENT, "spread", {
          replicas: 3,
          pod: { topologySpreadConstraints: [{ maxSkew: 1, ...term("spread") }] },
        }),
        workload(DEPLOYMENT, "empty-preferred", {
          replicas: 3,
          pod: {
            affinity: {
              podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{}] },
            },
          },
        }),
        recordedResource("kubernetes:apps/v1:DaemonSet", "agent", { spec: {} }),
        recordedResource(DEPLOYMENT, "no-template", { spec: { replicas: 3 } }),
      ]),
    ).toEqual([
      "pair (Deployment): its pods may all land in one zone",
      "empty-preferred (Deployment): its pods may all land in one zone",
      "no-template (Deployment): its pods may all land in one zone",
    ]);
  });
});

describe("vega-containers-non-root", () => {
  it("inherits runAsNonRoot from the pod, lets a container override it, checks init containers", async () => {
    const safe = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true };
    expect(
      await messages(containersNonRoot, [
        workload(DEPLOYMENT, "inherits", {
          pod: {
            securityContext: { runAsNonRoot: true, runAsUser: 10001 },
            containers: [{ name: "main", securityContext: safe }],
          },
        }),
        workload(DEPLOYMENT, "overrides", {
          pod: {
            securityContext: { runAsNonRoot: true },
            initContainers: [{ name: "init", securityContext: { ...safe, runAsNonRoot: false } }],
            containers: [{ name: "main", securityContext: { ...safe, runAsUser: 0 } }],
          },
        }),
      ]),
    ).toEqual(["container init: runAsNonRoot is not true", "container main: runAsUser 0 (root)"]);
  });

  it("names each missing setting of a container with no security context at all, and a pod's root user", async () => {
    expect(
      await messages(containersNonRoot, [
        workload(DEPLOYMENT, "bare", { pod: { containers: [{ name: "main" }] } }),
        workload(DEPLOYMENT, "pod-root", {
          pod: {
            securityContext: { runAsNonRoot: true, runAsUser: 0 },
            containers: [
              {
                name: "own-user",
                securityContext: {
                  runAsUser: 10001,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                },
              },
              {
                name: "inherits-root",
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
              },
            ],
          },
        }),
      ]),
    ).toEqual([
      "container main: runAsNonRoot is not true",
      "container main: allowPrivilegeEscalation must be false",
      "container main: readOnlyRootFilesystem must be true",
      "container inherits-root: runAsUser 0 (root)",
    ]);
  });
});
