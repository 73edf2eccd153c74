/**
 * Gateway config: the three gateway nodes of seed 17.1 and their runtime config, seed 17.3
 * (service discovery) and 17.4 (circuit breakers), plus the query rate limit of seed 15.4.
 */
import { z } from "zod";
import { imageSchema } from "./image";
import {
  bool,
  integer,
  list,
  oneOf,
  percent,
  refuse,
  seconds,
  section,
  slug,
  strict,
  text,
} from "./types";
import { resourcesSchema } from "./workload";

/** Load-balancing choices of seed 17.3 (`round_robin | least_connections | ip_hash`). */
export const DISCOVERY_LOAD_BALANCE = ["round_robin", "least_connections", "ip_hash"] as const;

/** Seed 17.3 `service_discovery`, as written there (the provider is mapped, see below). */
export const SEED_SERVICE_DISCOVERY = {
  /** Seed: `consul`. On EKS the cluster itself is the registry: docs/architecture.md maps it to kubernetes. */
  provider: "consul",
  registration: {
    serviceName: "vega-gateway",
    healthCheckIntervalSeconds: 10,
    tags: ["api", "v2"],
  },
  services: [
    { name: "vega-worker", loadBalance: "round_robin" },
    { name: "embedding-service", loadBalance: "least_connections" },
  ],
} as const;

/** Seed 17.4 `circuit_breaker.default`. */
export const SEED_CIRCUIT_BREAKER_DEFAULT = {
  failureRateThreshold: 50,
  slowCallRateThreshold: 80,
  slowCallDurationSeconds: 5,
  minimumCalls: 10,
  slidingWindowSize: 100,
  waitDurationInOpenSeconds: 30,
  permittedCallsInHalfOpen: 5,
} as const;

/** Seed 17.4 `circuit_breaker.services`: the two services with their own threshold and fallback. */
export const SEED_CIRCUIT_BREAKER_SERVICES = {
  embedding_service: { failureRateThreshold: 30, fallback: "skip_embedding" },
  trino: { failureRateThreshold: 40, fallback: "route_to_duckdb" },
} as const;

/** A fallback turned off: the open breaker fails calls fast. */
export const NO_FALLBACK = "none" as const;

/** The breaker settings a service may override (every field of the default, optional). */
const breakerOverrides = {
  /** Percent of slow calls that opens the breaker. Default: circuitBreaker.default. */
  slowCallRateThreshold: percent().optional(),
  /** Seconds after which a call counts as slow. Default: circuitBreaker.default. */
  slowCallDurationSeconds: seconds(0.001, 3600).optional(),
  /** Calls needed before rates are computed. Default: circuitBreaker.default. */
  minimumCalls: integer(1, 100_000).optional(),
  /** Calls in the sliding window. Default: circuitBreaker.default. */
  slidingWindowSize: integer(1, 100_000).optional(),
  /** Seconds the breaker stays open. Default: circuitBreaker.default. */
  waitDurationInOpenSeconds: seconds(1, 3600).optional(),
  /** Trial calls while half-open. Default: circuitBreaker.default. */
  permittedCallsInHalfOpen: integer(1, 10_000).optional(),
};

function serviceBreaker<const F extends string>(seed: {
  failureRateThreshold: number;
  fallback: F;
}) {
  return section({
    /** Percent of failed calls that opens this service's breaker. Default: seed 17.4. */
    failureRateThreshold: percent().default(seed.failureRateThreshold),
    /** What the gateway does while the breaker is open. Default: seed 17.4; "none" fails fast. */
    fallback: oneOf([seed.fallback, NO_FALLBACK] as [F, typeof NO_FALLBACK]).default(
      seed.fallback as never,
    ),
    ...breakerOverrides,
  });
}

/** Breaker windows that cannot work: fewer calls in the window than are needed to decide. */
function windowProblem(
  b: { minimumCalls?: number; slidingWindowSize?: number },
  fallback: { minimumCalls: number; slidingWindowSize: number },
) {
  const minimum = b.minimumCalls ?? fallback.minimumCalls;
  const window = b.slidingWindowSize ?? fallback.slidingWindowSize;
  return minimum > window
    ? `expected at most slidingWindowSize (${window}): the breaker would never have enough calls to open`
    : undefined;
}

const d = SEED_CIRCUIT_BREAKER_DEFAULT;

export const circuitBreakerSchema = section({
  /** Seed 17.4 `default`, every value its seed default. */
  default: section({
    failureRateThreshold: percent().default(d.failureRateThreshold),
    slowCallRateThreshold: percent().default(d.slowCallRateThreshold),
    slowCallDurationSeconds: seconds(0.001, 3600).default(d.slowCallDurationSeconds),
    minimumCalls: integer(1, 100_000).default(d.minimumCalls),
    slidingWindowSize: integer(1, 100_000).default(d.slidingWindowSize),
    waitDurationInOpenSeconds: seconds(1, 3600).default(d.waitDurationInOpenSeconds),
    permittedCallsInHalfOpen: integer(1, 10_000).default(d.permittedCallsInHalfOpen),
  }),
  /** Seed 17.4 `services`, keyed by the seed's service names. */
  services: section({
    embedding_service: serviceBreaker(SEED_CIRCUIT_BREAKER_SERVICES.embedding_service),
    trino: serviceBreaker(SEED_CIRCUIT_BREAKER_SERVICES.trino),
  }),
}).superRefine((cb, ctx) => {
  const problem = windowProblem(cb.default, cb.default);
  if (problem) refuse(ctx, ["default", "minimumCalls"], cb.default.minimumCalls, problem);
  for (const [name, service] of Object.entries(cb.services)) {
    // A service that overrides neither value inherits the default's problem, reported once above.
    if (service.minimumCalls === undefined && service.slidingWindowSize === undefined) continue;
    const own = windowProblem(service, cb.default);
    if (own)
      refuse(
        ctx,
        ["services", name, "minimumCalls"],
        service.minimumCalls ?? cb.default.minimumCalls,
        own,
      );
  }
});

const discoveredService = strict({
  /** Service name as the registry knows it (the `app.kubernetes.io/name` label on Kubernetes). */
  name: slug(63),
  /** How calls to it are spread. */
  loadBalance: oneOf(DISCOVERY_LOAD_BALANCE),
});

export const runtimeSchema = section({
  serviceDiscovery: section({
    /** Registry. Only kubernetes: on EKS the API server is the registry (seed 17.3 names consul). */
    provider: oneOf(["kubernetes"] as const).default("kubernetes"),
    registration: section({
      /** Name the gateway registers as. Default "vega-gateway" (seed 17.3). */
      serviceName: slug(63).default(SEED_SERVICE_DISCOVERY.registration.serviceName),
      /** Seconds between registration checks; the readiness probe period. Default 10 (seed 17.3). */
      healthCheckIntervalSeconds: integer(1, 300).default(
        SEED_SERVICE_DISCOVERY.registration.healthCheckIntervalSeconds,
      ),
      /** Tags of the registration. Default ["api", "v2"] (seed 17.3). */
      tags: list(text("a tag"), 0, "a list of tags").default([
        ...SEED_SERVICE_DISCOVERY.registration.tags,
      ]),
    }),
    /** Services the gateway calls and how. Default seed 17.3: vega-worker round robin, embedding-service least connections. */
    services: list(discoveredService, 1, "a list of at least one service").default(
      SEED_SERVICE_DISCOVERY.services.map((s) => ({ ...s })),
    ),
  }),
  circuitBreaker: circuitBreakerSchema,
  rateLimit: section({
    /** Query rate limit on each gateway (seed 15.4 sets it at run time with PUT /api/v1/rate-limit). Default true. */
    enabled: bool().default(true),
    /** Queries per second each gateway admits; the seed gives no figure. Default 500. */
    queriesPerSecond: integer(1, 1_000_000).default(500),
    /** Burst above that rate (token bucket size). Default 1000. */
    burst: integer(1, 1_000_000).default(1000),
  }),
});

export const gatewaySchema = section({
  /** Gateway image. Required. */
  image: imageSchema,
  /** Gateway nodes. Default 3 (seed 17.1/17.2: gateway-1..3); the PDB keeps all but one. */
  replicas: integer(2, 100).default(3),
  /** Port the gateway listens on and the ALB targets. Default 8080 (seed 17.2 backends). */
  port: integer(1024, 65535).default(8080),
  /** Container requests and limits. */
  resources: resourcesSchema({
    requests: { cpu: "500m", memory: "512Mi" },
    limits: { cpu: "2", memory: "1Gi" },
  }),
  drain: section({
    /**
     * Seconds the preStop sleep outlasts the target group's deregistration delay: the time the
     * load balancer controller takes to see the pod terminating and deregister it. Default 10.
     */
    marginSeconds: integer(1, 300).default(10),
    /** Seconds the gateway gets after SIGTERM to finish; added to the termination grace period. Default 30. */
    shutdownSeconds: integer(1, 600).default(30),
  }),
  runtime: runtimeSchema,
});

export type GatewayConfig = z.infer<typeof gatewaySchema>;
export type GatewayRuntimeConfig = GatewayConfig["runtime"];
export type CircuitBreakerConfig = GatewayRuntimeConfig["circuitBreaker"];
