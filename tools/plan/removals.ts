/**
 * What a change of the program removes, and which of those removals would call an AWS API that
 * may be unreachable. Pure functions over two recorded plans of one stack: the DR tests use them
 * on the unpromoted and promoted plans (promotion must call nothing in the failed region nor a
 * global control plane), and region-failover tooling can run them before an `up`.
 */
import type { RecordedResource } from "../../components/core/plan";

type Recorded = Pick<RecordedResource, "urn" | "type" | "name" | "region" | "retainOnDelete"> & {
  custom?: boolean;
};

/**
 * AWS services whose control plane is global (one endpoint, in us-east-1 for the commercial
 * partition): deleting their resources calls that region whatever the stack's region is.
 */
export const GLOBAL_AWS_SERVICES = [
  "iam",
  "route53",
  "cloudfront",
  "organizations",
  "globalaccelerator",
] as const;

/** The AWS service of a type token (`aws:iam/role:Role` → `iam`), or undefined for other providers. */
export function awsService(type: string): string | undefined {
  return type.startsWith("aws:") ? type.slice(4).split("/")[0] : undefined;
}

/** Resources of `before` that `after` no longer declares (matched by URN). */
export function removedResources<T extends Pick<RecordedResource, "urn">>(
  before: T[],
  after: Pick<RecordedResource, "urn">[],
): T[] {
  const kept = new Set(after.map((r) => r.urn));
  return before.filter((r) => !kept.has(r.urn));
}

/**
 * Why deleting `r` would call an API outside `region` (or a global one), or undefined when the
 * removal is safe: it is retained (dropped from state only), or it is not a cloud resource
 * (components, providers, stack references), or it lives in `region` (AWS resources of a
 * regional service there, Kubernetes objects in that region's cluster).
 */
export function unsafeRemoval(r: Recorded, region: string): string | undefined {
  if (r.retainOnDelete) return undefined;
  if (r.custom === false || r.type.startsWith("pulumi:")) return undefined;
  if (r.type.startsWith("kubernetes:")) return undefined;
  const service = awsService(r.type);
  if (service === undefined) return undefined; // random:, tls: … make no cloud call
  if ((GLOBAL_AWS_SERVICES as readonly string[]).includes(service))
    return `${r.name} (${r.type}) is deleted through ${service}'s global control plane`;
  if (r.region !== region)
    return `${r.name} (${r.type}) is deleted in ${r.region ?? "an unknown region"}, not ${region}`;
  return undefined;
}

/** Every removal from `before` to `after` that is not safe for a stack in `region`, explained. */
export function unsafeRemovals(before: Recorded[], after: Recorded[], region: string): string[] {
  return removedResources(before, after)
    .map((r) => unsafeRemoval(r, region))
    .filter((p): p is string => p !== undefined);
}
