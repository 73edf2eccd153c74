/**
 * Kubernetes sizing shared by the gateway and the worker pools: CPU and memory quantities in
 * Kubernetes notation, checked here so that a request above its limit (which the API server
 * would only refuse halfway through `pulumi up`) is reported with its key before anything runs.
 */
import { z } from "zod";
import { matching, refuse, section } from "./types";

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

const CPU = /^(\d+(\.\d{1,3})?|\d+m)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/;

/** CPU cores of a quantity such as "500m" or "2". */
export function cpuCores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** Bytes of a quantity such as "512Mi" or "1G". */
export function memoryBytes(quantity: string): number {
  // NaN for a non-quantity (zod runs the request/limit refinement on refused values too).
  // Stryker disable next-line ArrayDeclaration: any fallback without an amount gives NaN alike
  const [, amount, unit = ""] = MEMORY.exec(quantity) ?? [];
  return Number(amount) * MEMORY_UNITS[unit]!;
}

const cpu = () => matching(CPU, "a CPU quantity such as 500m or 2");
const memory = () => matching(MEMORY, "a memory quantity such as 512Mi or 2Gi");

export interface ResourceDefaults {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** Requests and limits with the given defaults; a request above its limit is refused. */
export function resourcesSchema(defaults: ResourceDefaults) {
  return section({
    /** What the scheduler reserves. */
    requests: section({
      cpu: cpu().default(defaults.requests.cpu),
      memory: memory().default(defaults.requests.memory),
    }),
    /** The ceiling: above the memory limit the container is OOM-killed, above the CPU limit throttled. */
    limits: section({
      cpu: cpu().default(defaults.limits.cpu),
      memory: memory().default(defaults.limits.memory),
    }),
  }).superRefine((r, ctx) => {
    const measure = { cpu: cpuCores, memory: memoryBytes } as const;
    for (const kind of ["cpu", "memory"] as const) {
      if (measure[kind](r.requests[kind]) > measure[kind](r.limits[kind])) {
        refuse(
          ctx,
          ["requests", kind],
          r.requests[kind],
          `expected at most limits.${kind} (${r.limits[kind]})`,
        );
      }
    }
  });
}

export type ResourcesConfig = z.infer<ReturnType<typeof resourcesSchema>>;
