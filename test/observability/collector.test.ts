import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultObservabilityConfig } from "../../config";
import {
  collectorConfig,
  collectorConfigProblems,
  collectorConfigYaml,
  DEFAULT_TRACE_ENDPOINTS,
  HEALTH_PORT,
  MEMORY_LIMIT_SHARE,
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
} from "../../components/observability/otel";

const tracing = defaultObservabilityConfig().tracing;

describe("the OpenTelemetry Collector config", () => {
  it("takes OTLP over gRPC and HTTP on all interfaces", () => {
    const c = collectorConfig(tracing);
    expect(c.receivers.otlp.protocols).toEqual({
      grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` },
      http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` },
    });
    expect(c.service.pipelines.traces.receivers).toEqual(["otlp"]);
  });

  it("limits memory first, batches last, holding the heap to a share of the container limit", () => {
    const c = collectorConfig({ ...tracing, memoryLimitMiB: 1000 });
    expect(c.service.pipelines.traces.processors).toEqual(["memory_limiter", "batch"]);
    expect(c.processors.memory_limiter.limit_mib).toBe(1000 * MEMORY_LIMIT_SHARE);
    expect(c.processors.memory_limiter.spike_limit_mib).toBeLessThan(
      c.processors.memory_limiter.limit_mib,
    );
  });

  it("exports to Jaeger over OTLP gRPC, or to Zipkin's span API, at the configured or default endpoint", () => {
    const jaeger = collectorConfig({
      ...tracing,
      backend: "jaeger",
      endpoint: "jaeger.tracing.svc:4317",
      insecure: false,
    });
    expect(jaeger.exporters).toEqual({
      "otlp/jaeger": { endpoint: "jaeger.tracing.svc:4317", tls: { insecure: false } },
    });
    expect(jaeger.service.pipelines.traces.exporters).toEqual(["otlp/jaeger"]);
    const zipkin = collectorConfig({ ...tracing, backend: "zipkin", endpoint: undefined });
    expect(zipkin.exporters).toEqual({ zipkin: { endpoint: DEFAULT_TRACE_ENDPOINTS.zipkin } });
  });

  it("renders sound YAML for any memory size and backend", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 128, max: 16_384 }),
        fc.constantFrom("jaeger" as const, "zipkin" as const),
        (memoryLimitMiB, backend) => {
          const yaml = collectorConfigYaml({
            ...tracing,
            backend,
            endpoint: undefined,
            memoryLimitMiB,
          });
          expect(collectorConfigProblems(parse(yaml), memoryLimitMiB)).toEqual([]);
        },
      ),
    );
  });

  it("is refused when a pipeline refers to nothing, runs processors in the wrong order, or outgrows its container", () => {
    const c = collectorConfig(tracing);
    const broken = {
      ...c,
      processors: {
        ...c.processors,
        memory_limiter: { ...c.processors.memory_limiter, limit_mib: 4096 },
      },
      exporters: { "otlp/jaeger": { endpoint: "jaeger-collector" } },
      service: {
        ...c.service,
        pipelines: {
          traces: {
            receivers: ["otlp", "zipkin"],
            processors: ["batch", "memory_limiter"],
            exporters: ["otlp/jaeger"],
          },
        },
      },
    };
    expect(collectorConfigProblems(broken, tracing.memoryLimitMiB)).toEqual([
      "service.pipelines.traces.receivers: zipkin is not defined",
      "service.pipelines.traces.processors: memory_limiter must come first, to refuse data before it is buffered",
      "service.pipelines.traces.processors: batch must come last, so batches are not split again",
      `processors.memory_limiter.limit_mib: 4096 must be above 0 and below the container's ${tracing.memoryLimitMiB} MiB`,
      "otlp/jaeger: endpoint jaeger-collector has no port",
    ]);
    expect(collectorConfigProblems({ receivers: {} }, 512)[0]).toMatch(/^extensions:/);
  });

  it("names an undefined extension, a spike limit that does not fit, and a config that is no object", () => {
    const c = collectorConfig(tracing);
    const limit = c.processors.memory_limiter.limit_mib;
    const broken = {
      ...c,
      processors: {
        ...c.processors,
        memory_limiter: { ...c.processors.memory_limiter, spike_limit_mib: limit },
      },
      service: { ...c.service, extensions: [...c.service.extensions, "pprof"] },
    };
    expect(collectorConfigProblems(broken, tracing.memoryLimitMiB)).toEqual([
      "service.extensions: pprof is not defined",
      "processors.memory_limiter.spike_limit_mib: must be above 0 and below limit_mib",
    ]);
    expect(collectorConfigProblems("receivers: {}", 512)).toEqual([
      "(root): Invalid input: expected object, received string",
    ]);
  });

  it("refuses to render a config the collector would refuse, listing every reason", () => {
    // A container too small for the limiter's fixed headroom.
    expect(() => collectorConfigYaml({ ...tracing, memoryLimitMiB: 1 })).toThrow(
      /^OpenTelemetry Collector config is invalid:\n {2}processors\.memory_limiter\.limit_mib: .+\n {2}processors\.memory_limiter\.spike_limit_mib: /,
    );
  });

  it("serves the probes' health port from an extension the service enables", () => {
    const c = collectorConfig(tracing) as any;
    const serving = c.service.extensions.filter((e: string) =>
      String(c.extensions[e]?.endpoint ?? "").endsWith(`:${HEALTH_PORT}`),
    );
    expect(serving).toEqual(["health_check"]);
  });

  describe("the limits it checks, at their edges", () => {
    const c = collectorConfig(tracing) as any;
    const withLimiter = (limiter: object, batch: object = c.processors.batch) => ({
      ...c,
      processors: {
        ...c.processors,
        memory_limiter: { ...c.processors.memory_limiter, ...limiter },
        batch,
      },
    });
    const LIMIT = "processors.memory_limiter.limit_mib";
    const SPIKE = "processors.memory_limiter.spike_limit_mib: must be above 0 and below limit_mib";
    const problems = (config: unknown) => collectorConfigProblems(config, 512);

    it("the heap limit: above 0, below the container's memory", () => {
      expect(problems(withLimiter({ limit_mib: 511, spike_limit_mib: 100 }))).toEqual([]);
      for (const limit of [512, 0])
        expect(problems(withLimiter({ limit_mib: limit, spike_limit_mib: 1 }))[0]).toMatch(
          new RegExp(`^${LIMIT}: ${limit} must be above 0`),
        );
    });

    it("the spike limit: above 0, below the heap limit", () => {
      expect(problems(withLimiter({ limit_mib: 400, spike_limit_mib: 399 }))).toEqual([]);
      expect(problems(withLimiter({ limit_mib: 400, spike_limit_mib: 1 }))).toEqual([]);
      for (const spike of [0, 400, undefined])
        expect(
          problems(withLimiter({ limit_mib: 400, spike_limit_mib: spike })),
          `${spike}`,
        ).toEqual([SPIKE]);
    });

    it("the check interval and the batch timeout: durations above 0", () => {
      for (const interval of ["", "0s", "1", 1])
        expect(problems(withLimiter({ check_interval: interval })), `${interval}`).toEqual([
          "processors.memory_limiter.check_interval: must be a duration above 0, e.g. 1s",
        ]);
      expect(problems(withLimiter({ check_interval: "500ms" }))).toEqual([]);
      expect(problems(withLimiter({}, { timeout: "" }))).toEqual([
        "processors.batch.timeout: must be a duration above 0, e.g. 5s",
      ]);
      expect(problems(withLimiter({}, {}))).toEqual([]);
    });

    it("no limiter, no limiter checks (the pipeline order check names it)", () => {
      const { memory_limiter: _, ...processors } = c.processors;
      expect(problems({ ...c, processors })).toEqual([
        "service.pipelines.traces.processors: memory_limiter is not defined",
      ]);
    });

    it("more processors and exporters in a pipeline, option strings and empty configs are fine", () => {
      const config = {
        ...c,
        processors: { ...c.processors, "attributes/env": { actions: [] } },
        exporters: {
          ...c.exporters,
          debug: null,
          "otlphttp/backup": { endpoint: "https://traces.example.com:443", compression: "gzip" },
        },
        service: {
          ...c.service,
          pipelines: {
            traces: {
              receivers: ["otlp"],
              processors: ["memory_limiter", "attributes/env", "batch"],
              exporters: [...c.service.pipelines.traces.exporters, "debug", "otlphttp/backup"],
            },
          },
        },
      };
      expect(problems(config)).toEqual([]);
    });
  });
});
