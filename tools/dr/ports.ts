/**
 * What the DR commands need from the outside world, as interfaces: the Pulumi stacks (Automation
 * API), Route 53's control plane, the backup vaults and CloudWatch (AWS SDK v3). The commands
 * (failover.ts, status.ts, failback.ts) see only these; pulumi.ts and aws.ts implement them for
 * real, the tests with in-memory fakes.
 */
import type { HealthCheckSwitches } from "../../components/edge/routing";

/** The Pulumi stacks, through the Automation API. */
export interface StackPort {
  /** The stack's outputs, read from its state backend (no cloud call). */
  outputs(stack: string): Promise<Record<string, unknown>>;
  /** Sets a config value in the stack's settings file (`Pulumi.<stack>.yaml`). */
  setConfig(stack: string, key: string, value: string): Promise<void>;
  /** `pulumi up` of the stack with the project's policy pack. */
  up(stack: string): Promise<void>;
  /** Where the stack's state lives: the backend URL (`s3://…`, `file://…`, `https://api.pulumi.com`). */
  backendUrl(stack: string): Promise<string>;
}

/** Route 53 health check status as its checkers report it. */
export type HealthStatus = "healthy" | "unhealthy";

/** Route 53's control plane (in us-east-1 whatever region a record serves). */
export interface Route53Port {
  /** What Route 53's checkers report now; throws when the API cannot be reached. */
  healthCheckStatus(healthCheckId: string): Promise<HealthStatus>;
  switches(healthCheckId: string): Promise<HealthCheckSwitches>;
  /** `UpdateHealthCheck` with Disabled and Inverted. */
  setSwitches(healthCheckId: string, switches: HealthCheckSwitches): Promise<void>;
}

/** A JSON document and the version it was read at (for a conditional write). */
export interface Versioned<T> {
  value: T;
  version: string;
}

/** Thrown by `ObjectStorePort.put` when the document changed since it was read. */
export class ConcurrentWriteError extends Error {}

/** S3, called in the bucket's own region. */
export interface ObjectStorePort {
  getJson<T>(region: string, bucket: string, key: string): Promise<Versioned<T> | undefined>;
  /**
   * Writes only if the object is still at `expected` (undefined: only if it does not exist yet);
   * otherwise throws ConcurrentWriteError. Returns the new version.
   */
  putJson(
    region: string,
    bucket: string,
    key: string,
    value: unknown,
    expected: string | undefined,
  ): Promise<string>;
  /** The newest object under the prefixes, or undefined when there is none. */
  newestObject(
    region: string,
    bucket: string,
    prefixes: string[],
  ): Promise<{ key: string; lastModified: Date } | undefined>;
  /** The replication rules on a bucket (empty when it has no replication configuration). */
  replicationRules(region: string, bucket: string): Promise<{ id: string; status: string }[]>;
  deleteReplication(region: string, bucket: string): Promise<void>;
}

/** A CloudWatch metric: namespace, name, dimensions, in a region. */
export interface MetricRef {
  region: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** CloudWatch, called in the metric's region. */
export interface MetricsPort {
  /** The largest value over the last `seconds` (statistic Maximum), undefined without data. */
  maximum(metric: MetricRef, seconds: number): Promise<number | undefined>;
  /** The sum over the last `seconds`, undefined without data. */
  sum(metric: MetricRef, seconds: number): Promise<number | undefined>;
  /** Names of the alarms on exactly this metric. */
  alarmsOn(metric: MetricRef): Promise<string[]>;
  deleteAlarms(region: string, names: string[]): Promise<void>;
}

export interface DrPorts {
  stacks: StackPort;
  route53: Route53Port;
  objects: ObjectStorePort;
  metrics: MetricsPort;
  /** The current time (the journal's timestamps, ages). */
  now: () => Date;
  /** Prints a line for the operator. */
  log: (line: string) => void;
}
