import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { drainTimings } from "../../components/gateway/drain";
import { duration, renderRuntimeConfig, runtimeDocument } from "../../components/gateway/runtime";
import { configHash } from "../../components/workload/pod";
import {
  minimalPrimary,
  parsedPrimary,
  primaryRaw,
  primaryWith,
  problemsOf,
  refusedKeys,
} from "../harness/config";
import { seedYaml } from "../harness/seed";

const config = parsedPrimary();
const ctx = {
  port: config.gateway.port,
  healthPath: config.edge.targetGroup.healthCheck.path,
  namespace: "vega",
};
const rendered = parse(renderRuntimeConfig(config.gateway.runtime, ctx));

describe("gateway runtime config, rendered from the defaults", () => {
  it("circuit_breaker is seed 17.4, to the letter", () => {
    expect(rendered.circuit_breaker).toEqual(seedYaml("17.4").circuit_breaker);
  });

  it("service_discovery is seed 17.3 with the provider mapped to kubernetes", () => {
    const seed = seedYaml("17.3").service_discovery;
    expect(seed.provider).toBe("consul");
    const { provider, namespace, ...rest } = rendered.service_discovery;
    expect(provider).toBe("kubernetes");
    expect(namespace).toBe(ctx.namespace);
    const { provider: _seedProvider, ...seedRest } = seed;
    expect(rest).toEqual(seedRest);
  });

  it("the rate limit is on", () => {
    expect(rendered.rate_limit).toEqual({
      enabled: true,
      scope: "per_gateway",
      qps: config.gateway.runtime.rateLimit.queriesPerSecond,
      burst: config.gateway.runtime.rateLimit.burst,
    });
  });

  it("a service's own breaker settings are written next to its threshold", () => {
    const raw = primaryWith("gateway.runtime", {
      circuitBreaker: { services: { trino: { slowCallDurationSeconds: 0.5 } } },
    });
    const doc = runtimeDocument(parsedPrimary(raw).gateway.runtime, ctx);
    // Strictly: a field the service does not set is absent, not present as undefined.
    expect(doc.circuit_breaker.services.trino).toStrictEqual({
      failure_rate_threshold: 40,
      slow_call_duration: "500ms",
      fallback: "route_to_duckdb",
    });
  });

  it("durations read like the seed's", () => {
    expect([duration(5), duration(30), duration(0.25)]).toEqual(["5s", "30s", "250ms"]);
  });
});

describe("bad runtime config is refused with its key", () => {
  const key = "vega-ha:gateway.runtime.circuitBreaker";

  it.each([0, 101, 50.5 + 60])("a failure-rate threshold of %d (outside 1-100)", (value) => {
    const raw = primaryWith("gateway.runtime", {
      circuitBreaker: { services: { trino: { failureRateThreshold: value } } },
    });
    expect(problemsOf(raw)).toEqual([
      {
        key: `${key}.services.trino.failureRateThreshold`,
        message: `expected a percentage from 1 to 100, got ${value}`,
      },
    ]);
  });

  it("a slow-call threshold outside 1-100 in the defaults", () => {
    expect(
      refusedKeys(
        primaryWith("gateway.runtime", {
          circuitBreaker: { default: { slowCallRateThreshold: 0 } },
        }),
      ),
    ).toEqual([`${key}.default.slowCallRateThreshold`]);
  });

  it("an unknown fallback", () => {
    const raw = primaryWith("gateway.runtime", {
      circuitBreaker: { services: { embedding_service: { fallback: "route_to_duckdb" } } },
    });
    expect(problemsOf(raw)).toEqual([
      {
        key: `${key}.services.embedding_service.fallback`,
        message: 'expected one of "skip_embedding", "none", got "route_to_duckdb"',
      },
    ]);
  });

  it("an unknown service", () => {
    expect(
      refusedKeys(
        primaryWith("gateway.runtime", { circuitBreaker: { services: { opensearch: {} } } }),
      ),
    ).toEqual([`${key}.services.opensearch`]);
  });

  it("a window smaller than the calls needed to decide", () => {
    expect(
      refusedKeys(
        primaryWith("gateway.runtime", { circuitBreaker: { default: { minimumCalls: 200 } } }),
      ),
    ).toEqual([`${key}.default.minimumCalls`]);
    expect(
      refusedKeys(
        primaryWith("gateway.runtime", {
          circuitBreaker: { services: { trino: { slidingWindowSize: 5 } } },
        }),
      ),
    ).toEqual([`${key}.services.trino.minimumCalls`]);
  });

  it("a discovery provider the cluster does not run", () => {
    expect(
      refusedKeys(primaryWith("gateway.runtime", { serviceDiscovery: { provider: "consul" } })),
    ).toEqual(["vega-ha:gateway.runtime.serviceDiscovery.provider"]);
  });

  it("an unknown load-balance choice for a discovered service", () => {
    const raw = primaryWith("gateway.runtime", {
      serviceDiscovery: { services: [{ name: "vega-worker", loadBalance: "random" }] },
    });
    expect(refusedKeys(raw)).toEqual([
      "vega-ha:gateway.runtime.serviceDiscovery.services[0].loadBalance",
    ]);
  });
});

describe("the config hash follows the rendered config", () => {
  const hashOf = (failureRateThreshold: number) => {
    const raw = primaryWith("gateway.runtime", {
      circuitBreaker: { services: { trino: { failureRateThreshold } } },
    });
    return configHash(renderRuntimeConfig(parsedPrimary(raw).gateway.runtime, ctx));
  };

  it("is stable for the same config and changes with any threshold", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), (a, b) => {
        expect(hashOf(a) === hashOf(b)).toBe(a === b);
      }),
      { numRuns: 40 },
    );
  });

  it("changes with the namespace (the file names it)", () => {
    const runtime = config.gateway.runtime;
    expect(configHash(renderRuntimeConfig(runtime, ctx))).not.toBe(
      configHash(renderRuntimeConfig(runtime, { ...ctx, namespace: "other" })),
    );
  });
});

describe("drain timings", () => {
  it("preStop always outlasts the deregistration delay, and the grace period the preStop", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3600 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 600 }),
        (delay, marginSeconds, shutdownSeconds) => {
          const t = drainTimings(delay, { marginSeconds, shutdownSeconds });
          expect(t.preStopSeconds).toBe(delay + marginSeconds);
          expect(t.terminationGracePeriodSeconds).toBe(t.preStopSeconds + shutdownSeconds);
        },
      ),
    );
  });

  it("the defaults: deregistration delay plus the margin", () => {
    const t = drainTimings(
      config.edge.targetGroup.deregistrationDelaySeconds,
      config.gateway.drain,
    );
    expect(t.preStopSeconds).toBeGreaterThan(config.edge.targetGroup.deregistrationDelaySeconds);
    expect(primaryRaw().gateway.drain).toBeUndefined(); // the stack file keeps the defaults
  });
});

describe("gateway defaults the seed does not give", () => {
  it("requests and limits, the drain margins, the rate", () => {
    const { gateway } = parsedPrimary(minimalPrimary());
    expect(gateway.resources).toEqual({
      requests: { cpu: "500m", memory: "512Mi" },
      limits: { cpu: "2", memory: "1Gi" },
    });
    expect(gateway.drain).toEqual({ marginSeconds: 10, shutdownSeconds: 30 });
    expect(gateway.runtime.rateLimit).toEqual({
      enabled: true,
      queriesPerSecond: 500,
      burst: 1000,
    });
  });

  it("a service's own minimumCalls inside the window it inherits is no problem", () => {
    const raw = primaryWith("gateway.runtime.circuitBreaker", {
      default: { minimumCalls: 5, slidingWindowSize: 20 },
      services: { trino: { minimumCalls: 20 } },
    });
    expect(problemsOf(raw)).toEqual([]);
  });

  it("takes an explicit list of services to call, each with its balancing", () => {
    const services = [{ name: "vega-worker", loadBalance: "ip_hash" }];
    const raw = primaryWith("gateway.runtime.serviceDiscovery.services", services);
    expect(parsedPrimary(raw).gateway.runtime.serviceDiscovery.services).toEqual(services);
    expect(
      refusedKeys(primaryWith("gateway.runtime.serviceDiscovery.services", [{ name: "x" }])),
    ).toEqual(["vega-ha:gateway.runtime.serviceDiscovery.services[0].loadBalance"]);
  });
});
