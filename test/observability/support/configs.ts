/** Observability configs as the region resolves them: the stack's section plus the gateway's name. */
import { defaultObservabilityConfig, type ObservabilityConfig } from "../../../config";
import type { AlertConfig } from "../../../components/observability/alerts";
import { gatewayObjectName } from "../../../components/gateway/gateway";
import { stackConfig } from "../../harness";
import { seedYaml } from "../../harness/seed";

export type ResolvedObservability = ObservabilityConfig & AlertConfig;

/** Seed defaults, the gateway named as seed 17.3 registers it. */
export function defaultResolved(): ResolvedObservability {
  const defaults = defaultObservabilityConfig();
  return {
    ...defaults,
    targets: {
      ...defaults.targets,
      gatewayDeployment: seedYaml("17.3").service_discovery.registration.service_name,
    },
  };
}

/**
 * A stack file's config (optionally with `vega-ha:observability` replaced, as Pulumi would hand
 * it over), resolved like VegaRegion does.
 */
export function stackResolved(
  stack: "primary" | "dr",
  observability?: unknown,
): { config: ResolvedObservability; namespace: string } {
  const parsed = stackConfig(
    stack,
    observability === undefined ? {} : { "vega-ha:observability": JSON.stringify(observability) },
  );
  const o = parsed.observability;
  return {
    config: {
      ...o,
      targets: { ...o.targets, gatewayDeployment: gatewayObjectName(parsed.gateway) },
    },
    namespace: parsed.kubernetes.namespace,
  };
}
