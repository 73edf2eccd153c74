/**
 * The OpenTelemetry Collector's config (seed 15.3), rendered by a pure function and checked
 * before it ships: OTLP in over gRPC and HTTP, memory_limiter first and batch last, exported
 * to Jaeger (OTLP gRPC) or Zipkin.
 */
import { stringify } from "yaml";
import { z } from "zod";
import type { TracingConfig } from "../../config";

export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const HEALTH_PORT = 13133;

export const DEFAULT_TRACE_ENDPOINTS = {
  jaeger: "jaeger-collector.observability.svc:4317",
  zipkin: "http://zipkin.observability.svc:9411/api/v2/spans",
} as const;

/** memory_limiter holds the heap to this share of the container limit, spikes to a quarter of that. */
export const MEMORY_LIMIT_SHARE = 0.8;
export const MEMORY_SPIKE_SHARE = 0.25;

export type CollectorSettings = Pick<
  TracingConfig,
  "backend" | "endpoint" | "insecure" | "memoryLimitMiB"
>;

const exporterName = (backend: CollectorSettings["backend"]) =>
  backend === "jaeger" ? "otlp/jaeger" : "zipkin";

/** The collector config as an object (render it with collectorConfigYaml). */
export function collectorConfig(s: CollectorSettings) {
  const endpoint = s.endpoint ?? DEFAULT_TRACE_ENDPOINTS[s.backend];
  const limitMiB = Math.floor(s.memoryLimitMiB * MEMORY_LIMIT_SHARE);
  const exporter = exporterName(s.backend);
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${HEALTH_PORT}` } },
    receivers: {
      // Explicit 0.0.0.0: recent collectors listen on localhost only by default.
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` },
          http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` },
        },
      },
    },
    processors: {
      memory_limiter: {
        check_interval: "1s",
        limit_mib: limitMiB,
        spike_limit_mib: Math.floor(limitMiB * MEMORY_SPIKE_SHARE),
      },
      batch: { send_batch_size: 8192, send_batch_max_size: 16384, timeout: "5s" },
    },
    exporters: {
      [exporter]:
        s.backend === "jaeger" ? { endpoint, tls: { insecure: s.insecure } } : { endpoint },
    },
    service: {
      extensions: ["health_check"],
      pipelines: {
        traces: {
          receivers: ["otlp"],
          processors: ["memory_limiter", "batch"],
          exporters: [exporter],
        },
      },
    },
  };
}

const component = z.record(z.string(), z.unknown());
const collectorSchema = z.object({
  extensions: component,
  receivers: component,
  processors: component,
  exporters: component,
  service: z.object({
    extensions: z.array(z.string()),
    pipelines: z.record(
      z.string(),
      z.object({
        receivers: z.array(z.string()).min(1),
        processors: z.array(z.string()),
        exporters: z.array(z.string()).min(1),
      }),
    ),
  }),
});

/**
 * Every reason the collector would refuse this config or run it badly (empty when it is sound):
 * pipeline references must be defined, memory_limiter must come first and batch last, the
 * limiter must fit in the container, and endpoints must have ports.
 */
export function collectorConfigProblems(config: unknown, containerMemoryMiB: number): string[] {
  const parsed = collectorSchema.safeParse(config);
  if (!parsed.success)
    return parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  const c = parsed.data;
  const problems: string[] = [];
  for (const ext of c.service.extensions)
    if (!(ext in c.extensions)) problems.push(`service.extensions: ${ext} is not defined`);
  for (const [name, pipeline] of Object.entries(c.service.pipelines)) {
    const at = `service.pipelines.${name}`;
    for (const [kind, defined] of [
      ["receivers", c.receivers],
      ["processors", c.processors],
      ["exporters", c.exporters],
    ] as const) {
      for (const ref of pipeline[kind])
        if (!(ref in defined)) problems.push(`${at}.${kind}: ${ref} is not defined`);
    }
    if (pipeline.processors[0] !== "memory_limiter")
      problems.push(
        `${at}.processors: memory_limiter must come first, to refuse data before it is buffered`,
      );
    if (pipeline.processors.at(-1) !== "batch")
      problems.push(`${at}.processors: batch must come last, so batches are not split again`);
  }
  const limiter = c.processors.memory_limiter as
    { check_interval?: unknown; limit_mib?: number; spike_limit_mib?: number } | undefined;
  if (limiter) {
    // The collector refuses a memory_limiter without a positive check_interval (memorylimiter
    // Config.Validate: "'check_interval' must be greater than zero").
    if (!isPositiveDuration(limiter.check_interval))
      problems.push(
        "processors.memory_limiter.check_interval: must be a duration above 0, e.g. 1s",
      );
    const limit = limiter.limit_mib ?? 0;
    if (!(limit > 0 && limit < containerMemoryMiB))
      problems.push(
        `processors.memory_limiter.limit_mib: ${limit} must be above 0 and below the container's ${containerMemoryMiB} MiB`,
      );
    if (!((limiter.spike_limit_mib ?? 0) > 0 && (limiter.spike_limit_mib ?? 0) < limit))
      problems.push(
        "processors.memory_limiter.spike_limit_mib: must be above 0 and below limit_mib",
      );
  }
  const batch = c.processors.batch as { timeout?: unknown } | undefined;
  if (batch?.timeout !== undefined && !isPositiveDuration(batch.timeout))
    problems.push("processors.batch.timeout: must be a duration above 0, e.g. 5s");
  for (const [name, cfg] of Object.entries({ ...c.receivers, ...c.exporters })) {
    for (const endpoint of endpointsOf(cfg)) {
      if (!/:\d{1,5}(\/|$)/.test(endpoint))
        problems.push(`${name}: endpoint ${endpoint} has no port`);
    }
  }
  return problems;
}

const isPositiveDuration = (value: unknown) =>
  typeof value === "string" && /^(?=.*[1-9])\d+(\.\d+)?(ns|us|µs|ms|s|m|h)$/.test(value);

function endpointsOf(value: unknown): string[] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === "endpoint" && typeof v === "string" ? [v] : endpointsOf(v),
  );
}

/** The config as the collector reads it, after checking it. */
export function collectorConfigYaml(s: CollectorSettings): string {
  const config = collectorConfig(s);
  const problems = collectorConfigProblems(config, s.memoryLimitMiB);
  if (problems.length > 0)
    throw new Error(`OpenTelemetry Collector config is invalid:\n  ${problems.join("\n  ")}`);
  // Stryker disable next-line ObjectLiteral: folding long lines changes the text, not what YAML reads
  return stringify(config, { lineWidth: 0 });
}
