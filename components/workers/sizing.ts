import type { WorkerPoolConfig } from "../../config";

/** Full size (primary, promoted DR) or warm standby (a DR region still following the primary). */
export type PoolMode = "full" | "standby";

/** The autoscaler bounds a pool runs with in that mode. */
export function poolReplicas(
  pool: Pick<WorkerPoolConfig, "replicas" | "standbyReplicas">,
  mode: PoolMode,
): { min: number; max: number } {
  return mode === "full" ? { ...pool.replicas } : { ...pool.standbyReplicas };
}
