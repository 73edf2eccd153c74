/**
 * Worker pools A/B/C of seed 17.1: query, sync and cdc. Each runs at full size in the primary and
 * in a promoted DR region, and at warm-standby size in a DR region that still follows the
 * primary (its databases are read replicas; the pools only need to be warm, not busy).
 */
import { z } from "zod";
import { imageSchema } from "./image";
import { integer, percent, refuse, section } from "./types";
import { resourcesSchema, type ResourceDefaults } from "./workload";

export const WORKER_POOLS = ["query", "sync", "cdc"] as const;
export type WorkerPoolName = (typeof WORKER_POOLS)[number];

interface PoolDefaults {
  replicas: { min: number; max: number };
  standbyReplicas: { min: number; max: number };
  resources: ResourceDefaults;
}

/** HPA bounds; min 1 because an HPA cannot scale to zero without a feature gate. */
function replicaRange(defaults: { min: number; max: number }) {
  return section({
    /** Fewest pods the autoscaler keeps. */
    min: integer(1, 500).default(defaults.min),
    /** Most pods the autoscaler may run. */
    max: integer(1, 500).default(defaults.max),
  }).superRefine((r, ctx) => {
    if (r.min > r.max) refuse(ctx, ["min"], r.min, `expected at most max (${r.max})`);
  });
}

function poolSchema(defaults: PoolDefaults) {
  return section({
    /** Pool image. Required. */
    image: imageSchema,
    /** Port the pool serves (Service and probes). Default 8080. */
    port: integer(1024, 65535).default(8080),
    /** Full size: primary, and DR once promoted. */
    replicas: replicaRange(defaults.replicas),
    /** Warm-standby size: a DR region that still follows the primary. */
    standbyReplicas: replicaRange(defaults.standbyReplicas),
    /** Average CPU use (percent of requests) the autoscaler aims for. Default 70. */
    targetCpuPercent: percent(10, 100).default(70),
    /** Seconds a pod gets to hand its tasks back after SIGTERM. Default 60. */
    terminationGraceSeconds: integer(1, 3600).default(60),
    resources: resourcesSchema(defaults.resources),
  }).superRefine((p, ctx) => {
    if (p.standbyReplicas.max > p.replicas.max) {
      refuse(
        ctx,
        ["standbyReplicas", "max"],
        p.standbyReplicas.max,
        `expected at most replicas.max (${p.replicas.max}): warm standby is never larger than full size`,
      );
    }
  });
}

const small = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } };

/** Pool sizes; the seed gives none, these fit a three-zone cluster (see components/workers/README.md). */
export const WORKER_POOL_DEFAULTS: Record<WorkerPoolName, PoolDefaults> = {
  query: {
    replicas: { min: 3, max: 12 },
    standbyReplicas: { min: 1, max: 3 },
    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "4", memory: "4Gi" } },
  },
  sync: { replicas: { min: 2, max: 8 }, standbyReplicas: { min: 1, max: 2 }, resources: small },
  cdc: { replicas: { min: 2, max: 4 }, standbyReplicas: { min: 1, max: 2 }, resources: small },
};

export const workersSchema = section({
  /** Pool A (seed 17.1): queries. */
  query: poolSchema(WORKER_POOL_DEFAULTS.query),
  /** Pool B: sync jobs. */
  sync: poolSchema(WORKER_POOL_DEFAULTS.sync),
  /** Pool C: change data capture. */
  cdc: poolSchema(WORKER_POOL_DEFAULTS.cdc),
});

export type WorkersConfig = z.infer<typeof workersSchema>;
export type WorkerPoolConfig = WorkersConfig[WorkerPoolName];
