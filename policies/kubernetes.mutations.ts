/** Mutations that prove the workload rules of kubernetes.ts (see mutation.ts). */
import type { RecordedResource, ResourceProps } from "../components/core/plan";
import {
  apiTokenOnlyWhenNeeded,
  containersNonRoot,
  containersProbed,
  replicasAtLeastSeed,
  workloadsHaveDisruptionBudget,
  workloadsSpreadOverZones,
  ZONE_KEY,
} from "./kubernetes";
import {
  chain,
  duplicateResource,
  editInputs,
  podSpec,
  removeResource,
  type PolicyMutation,
  type Target,
} from "./mutation";

const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";

type Labels = Record<string, string>;
const podLabels = (r: RecordedResource): Labels =>
  (r.inputs as ResourceProps).spec?.template?.metadata?.labels ?? {};
const budgetLabels = (r: RecordedResource): Labels =>
  (r.inputs as ResourceProps).spec?.selector?.matchLabels ?? {};

/** A workload, and the budget that selects it, by one pod label. */
const workload = (type: string, key: string, value: string): Target => ({
  type,
  where: (r) => podLabels(r)[key] === value,
});
const budget = (key: string, value: string): Target => ({
  type: PDB,
  where: (r) => budgetLabels(r)[key] === value,
});

const GATEWAY = workload("kubernetes:apps/v1:Deployment", "app.kubernetes.io/component", "gateway");
const GATEWAY_PDB = budget("app.kubernetes.io/component", "gateway");
const REDIS = workload("kubernetes:apps/v1:StatefulSet", "app.kubernetes.io/name", "redis");
const REDIS_PDB = budget("app.kubernetes.io/name", "redis");
const SENTINEL_PDB = budget("app.kubernetes.io/name", "redis-sentinel");
const QUERY = workload("kubernetes:apps/v1:Deployment", "app.kubernetes.io/component", "query");
const QUERY_PDB = budget("app.kubernetes.io/component", "query");
const QUERY_HPA: Target = {
  type: HPA,
  where: (r) => /-query$/.test((r.inputs as ResourceProps).spec?.scaleTargetRef?.name ?? ""),
};
const COLLECTOR = workload(
  "kubernetes:apps/v1:Deployment",
  "app.kubernetes.io/name",
  "otel-collector",
);
const BACKUP_JOB: Target = { type: "kubernetes:batch/v1:CronJob" };

/** The first container of a workload's pod spec (CronJobs: their job template's). */
const firstContainer = (p: ResourceProps, init = false): ResourceProps => {
  const pod = p.spec.jobTemplate ? p.spec.jobTemplate.spec.template.spec : podSpec(p);
  return (init ? pod.initContainers : pod.containers)[0];
};

export const kubernetesMutations: PolicyMutation[] = [
  {
    rule: apiTokenOnlyWhenNeeded,
    breaks: "a pod under the default ServiceAccount mounts its API token",
    apply: editInputs(
      {
        type: "kubernetes:apps/v1:Deployment",
        where: (r) => podSpec(r.inputs).automountServiceAccountToken === false,
      },
      (p) => delete podSpec(p).automountServiceAccountToken,
    ),
  },
  {
    rule: workloadsHaveDisruptionBudget,
    breaks: "the gateways without a PodDisruptionBudget",
    apply: removeResource(GATEWAY_PDB),
  },
  {
    rule: workloadsHaveDisruptionBudget,
    breaks: "two PodDisruptionBudgets over the query workers (evictions fail)",
    apply: duplicateResource(
      QUERY_PDB,
      "-extra",
      (p) => (p.metadata.name = `${p.metadata.name}-extra`),
    ),
  },
  {
    rule: workloadsHaveDisruptionBudget,
    breaks: "a budget with neither minAvailable nor maxUnavailable",
    apply: editInputs(REDIS_PDB, (p) => delete p.spec.minAvailable),
  },
  {
    rule: workloadsHaveDisruptionBudget,
    breaks: "a budget that blocks every drain (minAvailable = all Redis nodes)",
    apply: editInputs(REDIS_PDB, (p) => (p.spec.minAvailable = 3)),
  },
  {
    rule: workloadsHaveDisruptionBudget,
    breaks: "a budget that lets a drain break the Sentinel quorum",
    apply: editInputs(SENTINEL_PDB, (p) => (p.spec.minAvailable = 1)),
  },
  {
    rule: workloadsHaveDisruptionBudget,
    breaks: "a budget that lets a drain evict every gateway",
    apply: editInputs(GATEWAY_PDB, (p) => {
      delete p.spec.minAvailable;
      p.spec.maxUnavailable = "100%";
    }),
  },
  {
    rule: containersProbed,
    breaks: "the gateway container without a readiness probe",
    apply: editInputs(GATEWAY, (p) => delete podSpec(p).containers[0].readinessProbe),
  },
  {
    rule: containersProbed,
    breaks: "the Redis container without a liveness probe",
    apply: editInputs(REDIS, (p) => delete podSpec(p).containers[0].livenessProbe),
  },
  {
    rule: replicasAtLeastSeed,
    breaks: "two gateways (budget lowered with them)",
    apply: chain(
      editInputs(GATEWAY, (p) => (p.spec.replicas = 2)),
      editInputs(GATEWAY_PDB, (p) => (p.spec.minAvailable = 1)),
    ),
  },
  {
    rule: replicasAtLeastSeed,
    breaks: "two Redis nodes (budget lowered with them)",
    apply: chain(
      editInputs(REDIS, (p) => (p.spec.replicas = 2)),
      editInputs(REDIS_PDB, (p) => (p.spec.minAvailable = 1)),
    ),
  },
  {
    rule: replicasAtLeastSeed,
    breaks: "an autoscaled Deployment that also sets replicas",
    apply: editInputs(QUERY, (p) => (p.spec.replicas = 2)),
  },
  {
    rule: replicasAtLeastSeed,
    breaks: "an autoscaler that may scale the query workers to zero",
    apply: editInputs(QUERY_HPA, (p) => (p.spec.minReplicas = 0)),
  },
  {
    rule: replicasAtLeastSeed,
    breaks: "an autoscaler whose maxReplicas is below its minReplicas",
    apply: editInputs(QUERY_HPA, (p) => (p.spec.maxReplicas = p.spec.minReplicas - 1)),
  },
  {
    rule: workloadsSpreadOverZones,
    breaks: "the gateways without their zone spread constraint",
    apply: editInputs(GATEWAY, (p) => {
      const pod = podSpec(p);
      pod.topologySpreadConstraints = pod.topologySpreadConstraints.filter(
        (t: ResourceProps) => t.topologyKey !== ZONE_KEY,
      );
    }),
  },
  {
    rule: workloadsSpreadOverZones,
    breaks: "Redis nodes without their zone anti-affinity",
    apply: editInputs(REDIS, (p) => {
      const anti = podSpec(p).affinity.podAntiAffinity;
      anti.requiredDuringSchedulingIgnoredDuringExecution =
        anti.requiredDuringSchedulingIgnoredDuringExecution.filter(
          (t: ResourceProps) => t.topologyKey !== ZONE_KEY,
        );
      delete anti.preferredDuringSchedulingIgnoredDuringExecution;
    }),
  },
  {
    rule: containersNonRoot,
    breaks: "the gateway container allowed to run as root",
    apply: editInputs(GATEWAY, (p) => (firstContainer(p).securityContext.runAsNonRoot = false)),
  },
  {
    rule: containersNonRoot,
    breaks: "the collector container run as uid 0",
    apply: editInputs(COLLECTOR, (p) => (firstContainer(p).securityContext.runAsUser = 0)),
  },
  {
    rule: containersNonRoot,
    breaks: "the pg_dump init container may escalate privileges",
    apply: editInputs(BACKUP_JOB, (p) => {
      firstContainer(p, true).securityContext.allowPrivilegeEscalation = true;
    }),
  },
  {
    rule: containersNonRoot,
    breaks: "the Redis container with a writable root filesystem",
    apply: editInputs(
      REDIS,
      (p) => (firstContainer(p).securityContext.readOnlyRootFilesystem = false),
    ),
  },
];
