import { SEED_RECOVERY_PROCEDURES } from "../../config/objectives";
import type { ObjectiveInput } from "../core/objectives";
import type { PlanContext, PlanExtension, RecordedResource } from "../core/plan";
import { OPENSEARCH_REST_TYPE } from "../opensearch/rest";
import { SNAPSHOT_REPOSITORY_PREFIXES, versionGoneAfterDays } from "./lifecycle";

interface RecordedRule {
  id: string;
  filter?: { prefix?: string };
  expiration?: { days?: number; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays?: number };
}

/** The fields of the OpenSearch REST objects' specs read here (repository, SM policy). */
interface RecordedRestSpec {
  name?: string;
  bucket?: string;
  basePath?: string;
  body?: {
    snapshot_config?: { repository?: string };
    deletion?: { condition?: { max_age?: string } };
  };
}

/**
 * Days after which the snapshot policy writing into `prefix` of `bucket` deletes a snapshot
 * (its deletion.condition.max_age), as synthesised; undefined when no policy writes there.
 */
function snapshotPolicyMaxAgeDays(
  resources: RecordedResource[],
  bucket: unknown,
  prefix: string,
): number | undefined {
  const rest = resources.filter((r) => r.type === OPENSEARCH_REST_TYPE);
  const spec = (r: RecordedResource) => r.inputs.spec as RecordedRestSpec | undefined;
  const repository = rest.find(
    (r) =>
      r.inputs.kind === "snapshotRepository" &&
      spec(r)?.bucket === bucket &&
      // The repository's base_path is the prefix, or a path below it (one per region).
      `${spec(r)?.basePath}/`.startsWith(prefix),
  );
  if (!repository) return undefined;
  const policy = rest.find(
    (r) =>
      r.inputs.kind === "smPolicy" &&
      spec(r)?.body?.snapshot_config?.repository === spec(repository)?.name,
  );
  if (!policy) return undefined;
  const maxAge = /^(\d+)d$/.exec(String(spec(policy)?.body?.deletion?.condition?.max_age));
  return maxAge ? Number(maxAge[1]) : undefined;
}

/** Retention as synthesised (not as configured): what a reviewer must see change in a PR. */
function retentionSection(ctx: PlanContext) {
  const lifecycles = ctx.resources.filter(
    (r) => r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  );
  const locks = ctx.resources.filter(
    (r) => r.type === "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  );
  const replications = ctx.resources.filter(
    (r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  );
  const lines: string[] = [];
  for (const lifecycle of lifecycles) {
    const lock = locks.find((l) => l.parent === lifecycle.parent);
    const lockDays = (lock?.inputs.rule as { defaultRetention?: { days?: number } } | undefined)
      ?.defaultRetention?.days;
    lines.push(
      `**${lifecycle.name}** (${lifecycle.region}); object lock: ${lockDays === undefined ? "off" : `GOVERNANCE, ${lockDays} days`}`,
      "",
    );
    lines.push(
      "| prefix | current version kept | noncurrent kept | gone for good after |",
      "|---|---:|---:|---:|",
    );
    for (const rule of (lifecycle.inputs.rules ?? []) as RecordedRule[]) {
      const prefix = rule.filter?.prefix;
      // A rule without a noncurrent window leaves nothing behind to wait for.
      const noncurrent = rule.noncurrentVersionExpiration?.noncurrentDays ?? 0;
      if (rule.expiration?.days !== undefined) {
        const gone = versionGoneAfterDays(rule.expiration.days, noncurrent, lockDays);
        lines.push(
          `| \`${prefix ?? "(all)"}\` | ${rule.expiration.days} d | ${noncurrent} d | ${gone} d |`,
        );
      } else if (prefix !== undefined && SNAPSHOT_REPOSITORY_PREFIXES.includes(prefix)) {
        // A snapshot repository: the snapshot policy deletes, lifecycle only removes what it left.
        const maxAge = snapshotPolicyMaxAgeDays(ctx.resources, lifecycle.inputs.bucket, prefix);
        lines.push(
          maxAge === undefined
            ? `| \`${prefix}\` | no snapshot policy writes here | ${noncurrent} d | — |`
            : `| \`${prefix}\` | expired by the snapshot policy after ${maxAge} d | ${noncurrent} d | ${versionGoneAfterDays(maxAge, noncurrent, lockDays)} d |`,
        );
      }
    }
    lines.push("");
  }
  for (const r of replications) {
    const rule = (
      r.inputs.rules as {
        status?: string;
        deleteMarkerReplication?: { status?: string };
        destination?: { bucket?: string; replicationTime?: { status?: string } };
      }[]
    )[0];
    // S3 replicates no delete marker unless deleteMarkerReplication says Enabled.
    lines.push(
      `Replication **${r.name}** (rule ${rule?.status}) on \`${r.inputs.bucket}\` (${r.region}) → \`${rule?.destination?.bucket}\`: ` +
        `RTC ${rule?.destination?.replicationTime?.status ?? "off"}, delete markers ${rule?.deleteMarkerReplication?.status ?? "Disabled"}.`,
    );
  }
  return lines.length === 0
    ? []
    : [{ title: "Backup retention (seed 16.2)", markdown: lines.join("\n") }];
}

interface RecordedReplicationRule {
  status?: string;
  destination?: {
    bucket?: string;
    replicationTime?: { status?: string; time?: { minutes?: number } };
  };
}

/**
 * One row per replication configuration: with Replication Time Control S3 replicates 99.99 % of
 * new objects within the RTC time (15 min, the only value S3 accepts) and reports what misses it;
 * without RTC replication is best effort, S3 states no time at all. A disabled rule copies nothing.
 */
export function replicationObjectives(ctx: PlanContext): ObjectiveInput[] {
  return ctx.resources
    .filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    .flatMap((r) =>
      ((r.inputs.rules ?? []) as RecordedReplicationRule[]).map((rule): ObjectiveInput => {
        const rtc = rule.destination?.replicationTime;
        const enabled = rule.status === "Enabled";
        const rtcMinutes = rtc?.status === "Enabled" ? rtc.time?.minutes : undefined;
        return {
          area: "backup",
          mechanism: `S3 replication ${r.inputs.bucket} (${r.region}) → ${rule.destination?.bucket}`,
          rpo: enabled && rtcMinutes !== undefined ? rtcMinutes * 60 : "unbounded",
          basis: !enabled
            ? "rule disabled: nothing is replicated"
            : rtcMinutes !== undefined
              ? `Replication Time Control: 99.99 % of new objects within ${rtcMinutes} min`
              : "no Replication Time Control: best effort, no time guaranteed",
          target: SEED_RECOVERY_PROCEDURES.regionFailover,
          crossRegion: true,
        };
      }),
    );
}

export const backupPlanExtension: PlanExtension = {
  name: "backup",
  sections: retentionSection,
  objectives: replicationObjectives,
};
