/**
 * The gateway's runtime config file, rendered in the shape of seed 17.3 and 17.4 (snake_case
 * keys, durations such as "5s") so the file reads like the design it implements.
 */
import { stringify } from "yaml";
import type { CircuitBreakerConfig, GatewayRuntimeConfig } from "../../config";

/** Seconds as a Go-style duration: 5 -> "5s", 0.25 -> "250ms". */
export function duration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

export interface RuntimeContext {
  /** Port the gateway listens on. */
  port: number;
  /** Path of its health endpoint. */
  healthPath: string;
  /** Namespace it discovers services in. */
  namespace: string;
}

type BreakerFields = Partial<Omit<CircuitBreakerConfig["default"], "failureRateThreshold">> & {
  failureRateThreshold?: number;
};

/** Seed 17.4 field names; only fields that are set are written. */
function breakerFields(b: BreakerFields): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (b.failureRateThreshold !== undefined) out.failure_rate_threshold = b.failureRateThreshold;
  if (b.slowCallRateThreshold !== undefined) out.slow_call_rate_threshold = b.slowCallRateThreshold;
  if (b.slowCallDurationSeconds !== undefined)
    out.slow_call_duration = duration(b.slowCallDurationSeconds);
  if (b.minimumCalls !== undefined) out.minimum_calls = b.minimumCalls;
  if (b.slidingWindowSize !== undefined) out.sliding_window_size = b.slidingWindowSize;
  if (b.waitDurationInOpenSeconds !== undefined)
    out.wait_duration_in_open = duration(b.waitDurationInOpenSeconds);
  if (b.permittedCallsInHalfOpen !== undefined)
    out.permitted_calls_in_half_open = b.permittedCallsInHalfOpen;
  return out;
}

/** The runtime config as data, in the seed's shape. */
export function runtimeDocument(runtime: GatewayRuntimeConfig, ctx: RuntimeContext) {
  const { serviceDiscovery: sd, circuitBreaker: cb, rateLimit } = runtime;
  return {
    service_discovery: {
      provider: sd.provider,
      namespace: ctx.namespace,
      registration: {
        service_name: sd.registration.serviceName,
        health_check: {
          http: `http://localhost:${ctx.port}${ctx.healthPath}`,
          interval: duration(sd.registration.healthCheckIntervalSeconds),
        },
        tags: [...sd.registration.tags],
      },
      discovery: {
        services: sd.services.map((s) => ({ name: s.name, load_balance: s.loadBalance })),
      },
    },
    circuit_breaker: {
      default: breakerFields(cb.default),
      services: Object.fromEntries(
        Object.entries(cb.services).map(([name, { fallback, ...fields }]) => [
          name,
          { ...breakerFields(fields), fallback },
        ]),
      ),
    },
    rate_limit: {
      enabled: rateLimit.enabled,
      scope: "per_gateway",
      qps: rateLimit.queriesPerSecond,
      burst: rateLimit.burst,
    },
  };
}

/** File name of the runtime config in the ConfigMap and under the mount path. */
export const RUNTIME_FILE = "gateway.yaml";
export const RUNTIME_MOUNT_PATH = "/etc/vega";

export function renderRuntimeConfig(runtime: GatewayRuntimeConfig, ctx: RuntimeContext): string {
  return `# vega gateway runtime config (seed 17.3 service discovery, 17.4 circuit breakers, 15.4 rate limit)\n${stringify(runtimeDocument(runtime, ctx))}`;
}
