import type { PlanContext, PlanExtension } from "../core/plan";
import { versionGoneAfterDays } from "./lifecycle";

interface RecordedRule {
  id: string;
  filter?: { prefix?: string };
  expiration?: { days?: number; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays?: number };
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
      if (rule.expiration?.days === undefined) continue;
      // A rule without a noncurrent window leaves nothing behind to wait for.
      const noncurrent = rule.noncurrentVersionExpiration?.noncurrentDays ?? 0;
      const gone = versionGoneAfterDays(rule.expiration.days, noncurrent, lockDays);
      lines.push(
        `| \`${rule.filter?.prefix ?? "(all)"}\` | ${rule.expiration.days} d | ${noncurrent} d | ${gone} d |`,
      );
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
    lines.push(
      `Replication **${r.name}** (rule ${rule?.status}) on \`${r.inputs.bucket}\` (${r.region}) → \`${rule?.destination?.bucket}\`: ` +
        `RTC ${rule?.destination?.replicationTime?.status ?? "off"}, delete markers ${rule?.deleteMarkerReplication?.status}.`,
    );
  }
  return lines.length === 0
    ? []
    : [{ title: "Backup retention (seed 16.2)", markdown: lines.join("\n") }];
}

export const backupPlanExtension: PlanExtension = { name: "backup", sections: retentionSection };
