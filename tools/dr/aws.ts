/**
 * The AWS side of the DR ports, with SDK v3 clients, each called in the region its API lives in:
 * Route 53's control plane in us-east-1, S3 and CloudWatch in the bucket's or metric's region.
 * Only the calls the commands make; credentials from the default provider chain.
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  GetMetricStatisticsCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  Route53Client,
  UpdateHealthCheckCommand,
} from "@aws-sdk/client-route-53";
import {
  DeleteBucketReplicationCommand,
  GetBucketReplicationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { healthCheckHealthy } from "../../components/edge/routing";
import {
  ConcurrentWriteError,
  type MetricRef,
  type MetricsPort,
  type ObjectStorePort,
  type Route53Port,
} from "./ports";

/** Route 53's control plane endpoint region (Route 53 API reference, "Endpoints"). */
export const ROUTE53_CONTROL_PLANE_REGION = "us-east-1";

/**
 * Route 53 counts an endpoint healthy when more than 18 % of its checkers see it healthy
 * (Developer Guide, "How Amazon Route 53 determines whether a health check is healthy").
 */
const HEALTHY_CHECKER_SHARE = 0.18;

function perRegion<T>(make: (region: string) => T): (region: string) => T {
  const clients = new Map<string, T>();
  return (region) => {
    if (!clients.has(region)) clients.set(region, make(region));
    return clients.get(region)!;
  };
}

const errorName = (err: unknown) => (err as { name?: string }).name;

export function route53Port(): Route53Port {
  const client = new Route53Client({ region: ROUTE53_CONTROL_PLANE_REGION });
  const switches = async (id: string) => {
    const { HealthCheck } = await client.send(new GetHealthCheckCommand({ HealthCheckId: id }));
    const config = HealthCheck?.HealthCheckConfig;
    return { disabled: config?.Disabled ?? false, invertHealthcheck: config?.Inverted ?? false };
  };
  return {
    switches,
    async healthCheckStatus(id) {
      const { HealthCheckObservations = [] } = await client.send(
        new GetHealthCheckStatusCommand({ HealthCheckId: id }),
      );
      const passing = HealthCheckObservations.filter((o) =>
        o.StatusReport?.Status?.startsWith("Success"),
      ).length;
      const endpointPasses =
        HealthCheckObservations.length > 0 &&
        passing / HealthCheckObservations.length > HEALTHY_CHECKER_SHARE;
      // The checkers report the endpoint; disabled and inverted decide what Route 53 makes of it.
      return healthCheckHealthy(await switches(id), endpointPasses) ? "healthy" : "unhealthy";
    },
    async setSwitches(id, wanted) {
      await client.send(
        new UpdateHealthCheckCommand({
          HealthCheckId: id,
          Disabled: wanted.disabled,
          Inverted: wanted.invertHealthcheck,
        }),
      );
    },
  };
}

export function objectStorePort(): ObjectStorePort {
  const s3 = perRegion((region) => new S3Client({ region }));
  return {
    async getJson<T>(region: string, bucket: string, key: string) {
      try {
        const out = await s3(region).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const value = JSON.parse(await out.Body!.transformToString()) as T;
        return { value, version: out.ETag! };
      } catch (err) {
        if (errorName(err) === "NoSuchKey") return undefined;
        throw err;
      }
    },
    async putJson(region, bucket, key, value, expected) {
      try {
        // S3 conditional writes: If-Match the ETag read, or If-None-Match * for a new object.
        const out = await s3(region).send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: `${JSON.stringify(value, null, 2)}\n`,
            ContentType: "application/json",
            ...(expected === undefined ? { IfNoneMatch: "*" } : { IfMatch: expected }),
          }),
        );
        return out.ETag!;
      } catch (err) {
        if (["PreconditionFailed", "ConditionalRequestConflict"].includes(errorName(err) ?? ""))
          throw new ConcurrentWriteError(`s3://${bucket}/${key} changed since it was read`);
        throw err;
      }
    },
    async newestObject(region, bucket, prefixes) {
      let newest: { key: string; lastModified: Date } | undefined;
      for (const prefix of prefixes) {
        let token: string | undefined;
        do {
          const page = await s3(region).send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          );
          for (const o of page.Contents ?? [])
            if (o.Key && o.LastModified && (!newest || o.LastModified > newest.lastModified))
              newest = { key: o.Key, lastModified: o.LastModified };
          token = page.NextContinuationToken;
        } while (token);
      }
      return newest;
    },
    async replicationRules(region, bucket) {
      try {
        const out = await s3(region).send(new GetBucketReplicationCommand({ Bucket: bucket }));
        return (out.ReplicationConfiguration?.Rules ?? []).map((r) => ({
          id: r.ID ?? "",
          status: r.Status ?? "",
        }));
      } catch (err) {
        if (errorName(err) === "ReplicationConfigurationNotFoundError") return [];
        throw err;
      }
    },
    async deleteReplication(region, bucket) {
      await s3(region).send(new DeleteBucketReplicationCommand({ Bucket: bucket }));
    },
  };
}

const dimensionList = (m: MetricRef) =>
  Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value }));

export function metricsPort(): MetricsPort {
  const cloudwatch = perRegion((region) => new CloudWatchClient({ region }));
  const statistic = async (m: MetricRef, seconds: number, stat: "Maximum" | "Sum") => {
    const end = new Date();
    const period = Math.max(60, Math.ceil(seconds / 60) * 60); // a multiple of 60 s
    const out = await cloudwatch(m.region).send(
      new GetMetricStatisticsCommand({
        Namespace: m.namespace,
        MetricName: m.metricName,
        Dimensions: dimensionList(m),
        StartTime: new Date(end.getTime() - period * 1000),
        EndTime: end,
        Period: period,
        Statistics: [stat],
      }),
    );
    const values = (out.Datapoints ?? []).map((d) => d[stat]).filter((v) => v !== undefined);
    if (values.length === 0) return undefined;
    return stat === "Sum" ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
  };
  return {
    maximum: (m, seconds) => statistic(m, seconds, "Maximum"),
    sum: (m, seconds) => statistic(m, seconds, "Sum"),
    async alarmsOn(m) {
      const out = await cloudwatch(m.region).send(
        new DescribeAlarmsForMetricCommand({
          Namespace: m.namespace,
          MetricName: m.metricName,
          Dimensions: dimensionList(m),
        }),
      );
      return (out.MetricAlarms ?? []).flatMap((a) => (a.AlarmName ? [a.AlarmName] : []));
    },
    async deleteAlarms(region, names) {
      await cloudwatch(region).send(new DeleteAlarmsCommand({ AlarmNames: names }));
    },
  };
}
