/**
 * Workload guardrails that hold for every Vega pod, whatever its area: a pod gets a Kubernetes
 * API token only when it calls the API, under a ServiceAccount of its own; workloads survive a
 * node drain and a zone loss (disruption budgets, replicas, zone spread, probes) and run
 * unprivileged (seed 17.1, 17.5).
 */
import type {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { SEED_GATEWAY_NODES, SEED_REDIS_MIN_NODES } from "../config";
import { podSpecsOf } from "./edge";

export const apiTokenOnlyWhenNeeded: ResourceValidationPolicy = {
  name: "vega-pod-api-token-only-when-needed",
  description:
    "A pod that runs under the namespace's default ServiceAccount sets automountServiceAccountToken: false; a pod that calls the Kubernetes API gets a ServiceAccount of its own.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `automountServiceAccountToken: false` in the pod spec, or run the pod under a ServiceAccount of its own when it calls the Kubernetes API.",
  validateResource: (args, report) => {
    for (const pod of podSpecsOf(args)) {
      if (pod.automountServiceAccountToken === false) continue;
      const account = pod.serviceAccountName ?? pod.serviceAccount;
      if (account === undefined || account === "" || account === "default")
        report(
          "pods mount the default ServiceAccount's API token: set automountServiceAccountToken: false, or give them a ServiceAccount of their own",
        );
    }
  },
};

type Props = PolicyResource["props"];

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
/** The zone label every node carries (well-known label, kubernetes.io docs "Well-Known Labels"). */
export const ZONE_KEY = "topology.kubernetes.io/zone";

/** Workloads whose pods run until stopped (Jobs and CronJobs run to completion). */
const isLongRunning = (r: { type: string }) =>
  r.type === DEPLOYMENT || r.type === STATEFUL_SET || r.type === DAEMON_SET;
/** Workloads with a replica count (a DaemonSet runs one pod per node). */
const isReplicated = (r: { type: string }) => r.type === DEPLOYMENT || r.type === STATEFUL_SET;

const podLabels = (r: { props: Props }): Record<string, string> =>
  r.props.spec?.template?.metadata?.labels ?? {};
const appName = (r: { props: Props }) => podLabels(r)["app.kubernetes.io/name"];

/** Whether a label selector (matchLabels and matchExpressions) selects `labels`; an empty one selects nothing here. */
export function selects(selector: Props | undefined, labels: Record<string, string>): boolean {
  const matchLabels = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>);
  const expressions = (selector?.matchExpressions ?? []) as {
    key: string;
    operator: string;
    values?: string[];
  }[];
  if (matchLabels.length === 0 && expressions.length === 0) return false;
  return (
    matchLabels.every(([k, v]) => labels[k] === v) &&
    expressions.every((e) => {
      const has = e.key in labels;
      switch (e.operator) {
        case "In":
          return has && (e.values ?? []).includes(labels[e.key]!);
        case "NotIn":
          return !has || !(e.values ?? []).includes(labels[e.key]!);
        case "Exists":
          return has;
        case "DoesNotExist":
          return !has;
        default:
          return false;
      }
    })
  );
}

const sameNamespace = (a: { props: Props }, b: { props: Props }) =>
  (a.props.metadata?.namespace ?? "default") === (b.props.metadata?.namespace ?? "default");

/** The HorizontalPodAutoscaler that scales a workload, if any. */
function autoscalerOf(all: PolicyResource[], w: PolicyResource): PolicyResource | undefined {
  const kind = w.type.slice(w.type.lastIndexOf(":") + 1);
  return all.find(
    (h) =>
      h.type === HPA &&
      sameNamespace(h, w) &&
      h.props.spec?.scaleTargetRef?.kind === kind &&
      h.props.spec?.scaleTargetRef?.name === w.props.metadata?.name,
  );
}

/**
 * The fewest pods a workload runs: its replicas, else its autoscaler's minReplicas, else the
 * Kubernetes default of 1.
 */
function fewestPods(all: PolicyResource[], w: PolicyResource): number {
  const replicas = w.props.spec?.replicas ?? autoscalerOf(all, w)?.props.spec?.minReplicas ?? 1;
  return Number(replicas);
}

/** The most pods a workload runs: its replicas, else its autoscaler's maxReplicas, else 1. */
function mostPods(all: PolicyResource[], w: PolicyResource): number {
  return Number(w.props.spec?.replicas ?? autoscalerOf(all, w)?.props.spec?.maxReplicas ?? 1);
}

/**
 * A PDB value (an integer or a percentage) as a pod count out of `n`. Kubernetes rounds a
 * percentage up for both minAvailable and maxUnavailable (kubernetes.io "Specifying a
 * Disruption Budget for your Application", rounding logic when specifying percentages).
 */
function podCount(value: number | string, n: number): number {
  const percent = /^(\d+)%$/.exec(String(value));
  return percent ? Math.ceil((n * Number(percent[1])) / 100) : Number(value);
}

/** How many of `n` pods a budget lets a drain evict at once (NaN when it sets neither field). */
export function disruptionsAllowed(spec: Props, n: number): number {
  if (spec.maxUnavailable !== undefined) return podCount(spec.maxUnavailable, n);
  // Stryker disable next-line ConditionalExpression: without minAvailable the count is NaN anyway
  if (spec.minAvailable !== undefined) return n - podCount(spec.minAvailable, n);
  return Number.NaN;
}

const workloadLabel = (w: PolicyResource) =>
  `${w.name} (${w.type.slice(w.type.lastIndexOf(":") + 1)})`;

export const workloadsHaveDisruptionBudget: StackValidationPolicy = {
  name: "vega-workloads-have-disruption-budget",
  description:
    "Every Deployment and StatefulSet has exactly one PodDisruptionBudget selecting its pods that lets a node drain evict a pod, keeps one running (of two or more), and keeps a majority of a quorum's voters (quorumApps).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add one PodDisruptionBudget in the workload's namespace whose selector matches its pod labels, with maxUnavailable: 1 (or minAvailable below the replica count); for voters (Sentinels) keep minAvailable at a majority.",
  configSchema: {
    properties: {
      quorumApps: {
        type: "string",
        default: "redis-sentinel",
        description:
          "Comma-separated app.kubernetes.io/name values of workloads whose pods vote: a drain must leave a majority of them.",
      },
    },
  },
  validateStack: (args, report) => {
    const { quorumApps } = args.getConfig<{ quorumApps: string }>();
    const voters = new Set(
      quorumApps
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    const budgets = args.resources.filter((r) => r.type === PDB);
    for (const w of args.resources.filter(isReplicated)) {
      const labels = podLabels(w);
      const mine = budgets.filter(
        (b) => sameNamespace(b, w) && selects(b.props.spec?.selector, labels),
      );
      if (mine.length === 0) {
        report(`${workloadLabel(w)}: no PodDisruptionBudget selects its pods`, w.urn);
        continue;
      }
      if (mine.length > 1) {
        // The eviction API answers 500 for a pod that several budgets select (kubernetes.io
        // "API-initiated Eviction": a misconfiguration, like multiple PDBs on one pod): drains hang.
        report(
          `${workloadLabel(w)}: ${mine.length} PodDisruptionBudgets select its pods (${mine.map((b) => b.name).join(", ")}); evictions fail`,
          w.urn,
        );
        continue;
      }
      const budget = mine[0]!;
      const n = fewestPods(args.resources, w);
      const allowed = disruptionsAllowed(budget.props.spec ?? {}, n);
      if (Number.isNaN(allowed)) {
        report(`${budget.name}: sets neither minAvailable nor maxUnavailable`, budget.urn);
        continue;
      }
      if (allowed < 1) {
        report(
          `${budget.name}: allows no eviction of ${workloadLabel(w)}'s ${n} pods: a node drain blocks`,
          budget.urn,
        );
        continue;
      }
      const left = n - Math.min(allowed, n);
      if (voters.has(appName(w) ?? "")) {
        const majority = Math.floor(n / 2) + 1;
        if (left < majority)
          report(
            `${budget.name}: a drain may leave ${left} of ${workloadLabel(w)}'s ${n} voters, below a majority of ${majority}`,
            budget.urn,
          );
      } else if (n >= 2 && left < 1) {
        report(
          `${budget.name}: a drain may evict all ${n} pods of ${workloadLabel(w)}`,
          budget.urn,
        );
      }
    }
  },
};

export const containersProbed: ResourceValidationPolicy = {
  name: "vega-containers-probed",
  description:
    "Every container of a long-running workload (Deployment, StatefulSet, DaemonSet) has a readiness and a liveness probe.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give every container a readinessProbe (traffic only when it can serve) and a livenessProbe (restart when it hangs); a sidecar probes its own HTTP health endpoint.",
  validateResource: (args, report) => {
    if (!isLongRunning(args)) return;
    for (const pod of podSpecsOf(args)) {
      for (const c of pod.containers ?? []) {
        for (const probe of ["readinessProbe", "livenessProbe"])
          if (!c[probe]) report(`container ${c.name} has no ${probe}`);
      }
    }
  },
};

export const replicasAtLeastSeed: StackValidationPolicy = {
  name: "vega-replicas-at-least-seed",
  description:
    "The gateway runs at least the seed's nodes (17.1: 3) and Redis at least its 3 nodes (17.1); an autoscaled workload keeps at least minWorkerReplicas and leaves spec.replicas to its autoscaler. Sentinel counts: vega-redis-sentinel-sane.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Raise vega-ha:gateway.replicas / vega-ha:redis.nodes to at least the seed's count; give every HorizontalPodAutoscaler minReplicas >= minWorkerReplicas (maxReplicas not below it) and leave the Deployment's replicas unset.",
  configSchema: {
    properties: {
      minGatewayReplicas: {
        type: "integer",
        minimum: 2,
        default: SEED_GATEWAY_NODES,
        description: "Fewest gateway pods (seed 17.1: three gateway nodes).",
      },
      minRedisNodes: {
        type: "integer",
        minimum: 3,
        default: SEED_REDIS_MIN_NODES,
        description: "Fewest Redis nodes (seed 17.1: Redis 3+ nodes).",
      },
      minWorkerReplicas: {
        type: "integer",
        minimum: 1,
        default: 1,
        description:
          "Fewest pods an autoscaled workload keeps (1: a DR region's warm standby; the seed gives no worker count).",
      },
    },
  },
  validateStack: (args, report) => {
    const limits = args.getConfig<{
      minGatewayReplicas: number;
      minRedisNodes: number;
      minWorkerReplicas: number;
    }>();
    // The gateway by its component label (its name is config), Redis nodes by their app name.
    const seedMinimum = (w: PolicyResource) =>
      podLabels(w)["app.kubernetes.io/component"] === "gateway"
        ? limits.minGatewayReplicas
        : appName(w) === "redis"
          ? limits.minRedisNodes
          : undefined;
    for (const w of args.resources.filter(isReplicated)) {
      const need = seedMinimum(w);
      const hpa = autoscalerOf(args.resources, w);
      if (hpa && w.props.spec?.replicas !== undefined)
        report(
          `${workloadLabel(w)}: sets replicas ${w.props.spec.replicas} although ${hpa.name} scales it (every update resets the scale)`,
          w.urn,
        );
      if (fewestPods(args.resources, w) < (need ?? 0))
        report(
          `${workloadLabel(w)}: ${fewestPods(args.resources, w)} pods, the seed needs at least ${need}`,
          w.urn,
        );
    }
    for (const hpa of args.resources.filter((r) => r.type === HPA)) {
      const min = Number(hpa.props.spec?.minReplicas ?? 1);
      const max = Number(hpa.props.spec?.maxReplicas);
      if (!(min >= limits.minWorkerReplicas))
        report(`${hpa.name}: minReplicas ${min}, at least ${limits.minWorkerReplicas}`, hpa.urn);
      if (!(max >= min))
        report(`${hpa.name}: maxReplicas ${max} below minReplicas ${min}`, hpa.urn);
    }
  },
};

/** Whether a pod spec spreads pods matching `labels` over zones (spread constraint or anti-affinity). */
function spreadsOverZones(pod: Props, labels: Record<string, string>): boolean {
  const spread = ((pod.topologySpreadConstraints ?? []) as Props[]).some(
    (t) => t.topologyKey === ZONE_KEY && selects(t.labelSelector, labels),
  );
  const anti = pod.affinity?.podAntiAffinity ?? {};
  const terms: Props[] = [
    ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...((anti.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Props[]).map(
      (p) => p.podAffinityTerm ?? {},
    ),
  ];
  return (
    spread || terms.some((t) => t.topologyKey === ZONE_KEY && selects(t.labelSelector, labels))
  );
}

export const workloadsSpreadOverZones: StackValidationPolicy = {
  name: "vega-workloads-spread-over-zones",
  description:
    "A Deployment or StatefulSet that can run two or more pods spreads them over availability zones (a topologySpreadConstraint or pod anti-affinity on topology.kubernetes.io/zone selecting its own pods), so one zone's loss leaves pods running.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add a topologySpreadConstraint { topologyKey: topology.kubernetes.io/zone, maxSkew: 1, labelSelector: <the pod labels> } or a podAntiAffinity term on that key.",
  validateStack: (args, report) => {
    for (const w of args.resources.filter(isReplicated)) {
      if (mostPods(args.resources, w) < 2) continue;
      const pod = w.props.spec?.template?.spec ?? {};
      if (!spreadsOverZones(pod, podLabels(w)))
        report(`${workloadLabel(w)}: its pods may all land in one zone`, w.urn);
    }
  },
};

export const containersNonRoot: ResourceValidationPolicy = {
  name: "vega-containers-non-root",
  description:
    "Every container (init containers too) runs as non-root (runAsNonRoot, from the container or the pod), cannot escalate privileges, and has a read-only root filesystem (writable paths are volumes).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set the pod's securityContext.runAsNonRoot: true with a non-zero runAsUser, and on every container allowPrivilegeEscalation: false and readOnlyRootFilesystem: true; mount an emptyDir where the process writes (/tmp, a data or config dir).",
  validateResource: (args, report) => {
    for (const pod of podSpecsOf(args)) {
      for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        const sc = c.securityContext ?? {};
        const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
        const user = sc.runAsUser ?? pod.securityContext?.runAsUser;
        if (nonRoot !== true) report(`container ${c.name}: runAsNonRoot is not true`);
        if (user === 0) report(`container ${c.name}: runAsUser 0 (root)`);
        if (sc.allowPrivilegeEscalation !== false)
          report(`container ${c.name}: allowPrivilegeEscalation must be false`);
        if (sc.readOnlyRootFilesystem !== true)
          report(`container ${c.name}: readOnlyRootFilesystem must be true`);
      }
    }
  },
};

export const kubernetesPolicies = [
  apiTokenOnlyWhenNeeded,
  workloadsHaveDisruptionBudget,
  containersProbed,
  replicasAtLeastSeed,
  workloadsSpreadOverZones,
  containersNonRoot,
];
