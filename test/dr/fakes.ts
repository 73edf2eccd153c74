/**
 * In-memory stand-ins for the DR commands' ports: the stacks, Route 53, S3 and CloudWatch of a
 * small world where every call is recorded in order. Route 53's health status follows the real
 * routing rules (components/edge/routing.ts): a disabled + inverted check reads unhealthy.
 */
import type { HealthCheckSwitches } from "../../components/edge/routing";
import { healthCheckHealthy } from "../../components/edge/routing";
import { stackOutputsSchema, type StackOutputs } from "../../config";
import {
  ConcurrentWriteError,
  type DrPorts,
  type MetricRef,
  type Versioned,
} from "../../tools/dr/ports";
import { examplePrimaryOutputs } from "../harness";

export interface Call {
  port: string;
  method: string;
  region?: string;
  args: unknown[];
  /** The call threw an injected failure (it changed nothing). */
  failed?: boolean;
}

/** Calls that change something (the rest only read). */
const MUTATING = new Set([
  "objects.putJson",
  "objects.deleteReplication",
  "route53.setSwitches",
  "stacks.setConfig",
  "stacks.up",
  "metrics.deleteAlarms",
]);

/** The fake clock's start; each `now()` advances it by a second. */
export const FAKE_START = new Date("2026-12-02T12:00:00Z");

export const PRIMARY_STACK = "acme/vega-ha/primary";
export const DR_STACK = "acme/vega-ha/dr";

export function exampleDrOutputs(): StackOutputs {
  const p = examplePrimaryOutputs();
  return stackOutputsSchema.parse({
    ...p,
    role: "dr",
    region: "us-west-2",
    backup: {
      region: "us-west-2",
      bucketName: "vega-prod-usw2-backup-bucket-1111111",
      bucketArn: "arn:aws:s3:::vega-prod-usw2-backup-bucket-1111111",
      kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/11111111-1111-1111-1111-111111111111",
    },
    postgres: p.postgres && {
      ...p.postgres,
      region: "us-west-2",
      instanceArn: "arn:aws:rds:us-west-2:123456789012:db:vega-prod-usw2-postgres",
      instanceIdentifier: "vega-prod-usw2-postgres",
      endpoint: "vega-prod-usw2-postgres.000000000000.us-west-2.rds.amazonaws.com",
      writable: false,
    },
    edge: {
      ...p.edge,
      failover: "SECONDARY",
      setIdentifier: "secondary-usw2",
      healthCheckId: "11111111-1111-1111-1111-111111111111",
    },
  });
}

interface StoredObject {
  body: string;
  version: number;
  lastModified: Date;
}

export class FakeWorld {
  readonly calls: Call[] = [];
  readonly lines: string[] = [];
  outputs: Record<string, Record<string, unknown>> = {
    [PRIMARY_STACK]: examplePrimaryOutputs(),
    [DR_STACK]: exampleDrOutputs(),
  };
  config: Record<string, Record<string, string>> = { [PRIMARY_STACK]: {}, [DR_STACK]: {} };
  ups: string[] = [];
  backends: Record<string, string> = {
    [PRIMARY_STACK]: "https://api.pulumi.com",
    [DR_STACK]: "https://api.pulumi.com",
  };
  /** Whether each health check's endpoint passes Route 53's probes. */
  endpointUp: Record<string, boolean> = {};
  switches: Record<string, HealthCheckSwitches> = {};
  /** Route 53's control plane answers (false: us-east-1 is down with the primary). */
  route53Reachable = true;
  objects = new Map<string, StoredObject>();
  replication = new Map<string, { id: string; status: string }[]>();
  alarms: { region: string; name: string; metric: MetricRef }[] = [];
  metricValues = new Map<string, { maximum?: number; sum?: number }>();
  private failures = new Map<string, { error: Error; when: (args: unknown[]) => boolean }>();
  private clock = FAKE_START.getTime();

  constructor() {
    const primary = this.outputs[PRIMARY_STACK] as StackOutputs;
    const dr = this.outputs[DR_STACK] as StackOutputs;
    for (const id of [primary.edge.healthCheckId, dr.edge.healthCheckId]) {
      this.endpointUp[id] = true;
      this.switches[id] = { disabled: false, invertHealthcheck: false };
    }
  }

  get primary(): StackOutputs {
    return this.outputs[PRIMARY_STACK] as StackOutputs;
  }
  get dr(): StackOutputs {
    return this.outputs[DR_STACK] as StackOutputs;
  }

  /** The primary region goes down: its endpoint fails the probes. */
  primaryDown(): this {
    this.endpointUp[this.primary.edge.healthCheckId] = false;
    return this;
  }

  /** The next call of `port.method` (whose arguments match `when`) throws, changing nothing. */
  failNext(call: string, when: (args: unknown[]) => boolean = () => true): void {
    this.failures.set(call, { error: new Error(`${call}: injected failure`), when });
  }

  putObject(region: string, bucket: string, key: string, lastModified: Date, body = "x"): void {
    this.objects.set(`${region}/${bucket}/${key}`, { body, version: 1, lastModified });
  }

  mutations(): Call[] {
    return this.calls.filter((c) => !c.failed && MUTATING.has(`${c.port}.${c.method}`));
  }

  private record(port: string, method: string, args: unknown[], region?: string): void {
    const call: Call = { port, method, args, region };
    this.calls.push(call);
    const failure = this.failures.get(`${port}.${method}`);
    if (failure?.when(args)) {
      this.failures.delete(`${port}.${method}`);
      call.failed = true;
      throw failure.error;
    }
  }

  private now(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  ports(): DrPorts {
    return {
      now: () => this.now(),
      log: (line) => this.lines.push(line),
      stacks: {
        outputs: async (stack) => {
          this.record("stacks", "outputs", [stack]);
          const out = this.outputs[stack];
          if (!out) throw new Error(`no stack ${stack}`);
          return structuredClone(out);
        },
        setConfig: async (stack, key, value) => {
          this.record("stacks", "setConfig", [stack, key, value]);
          this.config[stack]![key] = value;
        },
        up: async (stack) => {
          this.record("stacks", "up", [stack]);
          this.ups.push(stack);
          // the program exports what the settings say (contract field promoted)
          const promoted = this.config[stack]?.["vega-ha:promoted"];
          if (promoted !== undefined)
            this.outputs[stack] = { ...this.outputs[stack], promoted: promoted === "true" };
        },
        backendUrl: async (stack) => {
          this.record("stacks", "backendUrl", [stack]);
          return this.backends[stack]!;
        },
      },
      route53: {
        healthCheckStatus: async (id) => {
          this.record("route53", "healthCheckStatus", [id], "us-east-1");
          if (!this.route53Reachable) throw new Error("Route 53 control plane unreachable");
          return healthCheckHealthy(this.switches[id]!, this.endpointUp[id]!)
            ? "healthy"
            : "unhealthy";
        },
        switches: async (id) => {
          this.record("route53", "switches", [id], "us-east-1");
          if (!this.route53Reachable) throw new Error("Route 53 control plane unreachable");
          return { ...this.switches[id]! };
        },
        setSwitches: async (id, switches) => {
          this.record("route53", "setSwitches", [id, switches], "us-east-1");
          if (!this.route53Reachable) throw new Error("Route 53 control plane unreachable");
          this.switches[id] = { ...switches };
        },
      },
      objects: {
        getJson: async <T>(region: string, bucket: string, key: string) => {
          this.record("objects", "getJson", [bucket, key], region);
          const o = this.objects.get(`${region}/${bucket}/${key}`);
          return o
            ? ({ value: JSON.parse(o.body) as T, version: String(o.version) } as Versioned<T>)
            : undefined;
        },
        putJson: async (region, bucket, key, value, expected) => {
          this.record("objects", "putJson", [bucket, key, structuredClone(value)], region);
          const id = `${region}/${bucket}/${key}`;
          const o = this.objects.get(id);
          if ((o ? String(o.version) : undefined) !== expected)
            throw new ConcurrentWriteError(`precondition failed on ${key}`);
          const version = (o?.version ?? 0) + 1;
          this.objects.set(id, { body: JSON.stringify(value), version, lastModified: this.now() });
          return String(version);
        },
        newestObject: async (region, bucket, prefixes) => {
          this.record("objects", "newestObject", [bucket, prefixes], region);
          let newest: { key: string; lastModified: Date } | undefined;
          for (const [id, o] of this.objects) {
            const [r, b, ...rest] = id.split("/");
            const key = rest.join("/");
            if (r !== region || b !== bucket || !prefixes.some((p) => key.startsWith(p))) continue;
            if (!newest || o.lastModified > newest.lastModified)
              newest = { key, lastModified: o.lastModified };
          }
          return newest;
        },
        replicationRules: async (region, bucket) => {
          this.record("objects", "replicationRules", [bucket], region);
          return this.replication.get(`${region}/${bucket}`) ?? [];
        },
        deleteReplication: async (region, bucket) => {
          this.record("objects", "deleteReplication", [bucket], region);
          this.replication.delete(`${region}/${bucket}`);
        },
      },
      metrics: {
        maximum: async (metric, seconds) => {
          this.record("metrics", "maximum", [metric, seconds], metric.region);
          return this.metricValues.get(metric.metricName)?.maximum;
        },
        sum: async (metric, seconds) => {
          this.record("metrics", "sum", [metric, seconds], metric.region);
          return this.metricValues.get(metric.metricName)?.sum;
        },
        alarmsOn: async (metric) => {
          this.record("metrics", "alarmsOn", [metric], metric.region);
          return this.alarms
            .filter(
              (a) =>
                a.region === metric.region &&
                a.metric.metricName === metric.metricName &&
                JSON.stringify(a.metric.dimensions) === JSON.stringify(metric.dimensions),
            )
            .map((a) => a.name);
        },
        deleteAlarms: async (region, names) => {
          this.record("metrics", "deleteAlarms", [names], region);
          this.alarms = this.alarms.filter((a) => a.region !== region || !names.includes(a.name));
        },
      },
    };
  }
}
