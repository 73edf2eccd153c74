/**
 * The database's part of the offline plan: the logical-backup scripts as the pod gets them
 * (`postgres/<file>`), and a summary of every instance for the pull request.
 */
import {
  SEED_BACKUP_OBJECTIVES,
  SEED_RECOVERY_PROCEDURES,
  type SeedObjective,
} from "../../config/objectives";
import { cronMaxGapSeconds } from "../core/cron";
import type { ObjectiveInput } from "../core/objectives";
import type {
  PlanArtifact,
  PlanContext,
  PlanExtension,
  PlanSection,
  RecordedResource,
} from "../core/plan";

const BACKUP_TYPE = "vega:postgres:LogicalBackup";
const INSTANCE_TYPE = "aws:rds/instance:Instance";

const childrenOf = (ctx: PlanContext, parent: RecordedResource, type: string) =>
  ctx.resources.filter((r) => r.parent === parent.urn && r.type === type);

function artifacts(ctx: PlanContext): PlanArtifact[] {
  return ctx.resources
    .filter((r) => r.type === BACKUP_TYPE)
    .flatMap((backup) => childrenOf(ctx, backup, "kubernetes:core/v1:ConfigMap"))
    .flatMap((configMap) =>
      Object.entries((configMap.inputs.data ?? {}) as Record<string, string>).map(
        ([file, content]) => ({ path: `postgres/${file}`, content }),
      ),
    );
}

/** The recorded instance inputs the summary shows. */
interface InstanceInputs {
  identifier?: string;
  replicateSourceDb?: string;
  restoreToPointInTime?: { restoreTime?: string };
  instanceClass?: string;
  multiAz?: boolean;
  backupRetentionPeriod?: number;
  backupWindow?: string;
  maintenanceWindow?: string;
  deletionProtection?: boolean;
}

interface CronJobInputs {
  metadata?: { name?: string };
  spec?: {
    schedule?: string;
    timeZone?: string;
    concurrencyPolicy?: string;
    jobTemplate?: { spec?: { activeDeadlineSeconds?: number } };
  };
}

function describeInstance(r: RecordedResource): string {
  const i = r.inputs as InstanceInputs;
  const role = i.replicateSourceDb
    ? `replica of \`${i.replicateSourceDb}\``
    : i.restoreToPointInTime
      ? `restored to ${i.restoreToPointInTime.restoreTime ?? "the latest restorable time"}`
      : "writer";
  // A replica or a restore inherits what it does not set: "-".
  return `| \`${i.identifier}\` | ${r.region} | ${role} | ${i.instanceClass ?? "-"} | ${i.multiAz ? "yes" : "no"} | ${i.backupRetentionPeriod ?? "-"} | ${i.backupWindow ?? "-"} | ${i.maintenanceWindow ?? "-"} | ${i.deletionProtection ? "yes" : "no"} |`;
}

function sections(ctx: PlanContext): PlanSection[] {
  const instances = ctx.resources.filter((r) => r.type === INSTANCE_TYPE);
  if (instances.length === 0) return [];
  const cronJobs = ctx.resources.filter((r) => r.type === "kubernetes:batch/v1:CronJob");
  const backups = ctx.resources
    .filter((r) => r.type === BACKUP_TYPE)
    .flatMap((b) => cronJobs.filter((c) => c.parent === b.urn))
    .map((c) => {
      const { metadata, spec } = c.inputs as CronJobInputs;
      const deadline = spec?.jobTemplate?.spec?.activeDeadlineSeconds ?? "?";
      return `Logical backup: CronJob \`${metadata?.name ?? "?"}\`, \`${spec?.schedule ?? "?"}\` (${spec?.timeZone ?? "UTC"}), deadline ${deadline} s, concurrency ${spec?.concurrencyPolicy ?? "Allow"}; scripts in \`postgres/\`.`;
    });
  return [
    {
      title: "PostgreSQL (metadata database)",
      markdown: [
        "| identifier | region | role | class | Multi-AZ | backup days | backup window | maintenance | deletion protection |",
        "|---|---|---|---|---|---|---|---|---|",
        ...instances.map(describeInstance),
        "",
        ...backups,
      ].join("\n"),
    },
  ];
}

/** Register in the plan tool's list of extensions. */
/**
 * RDS uploads the transaction logs of an instance to S3 every five minutes (RDS User Guide,
 * "Introduction to backups": point-in-time recovery): the PITR RPO with backups on.
 */
export const RDS_LOG_UPLOAD_SECONDS = 300;
/** Multi-AZ instance failover typically completes in 60–120 s (RDS User Guide, Multi-AZ). */
export const RDS_MULTI_AZ_FAILOVER_SECONDS = 120;

/** The ReplicaLag alarm watching an instance: the lag the replica may reach unnoticed. */
function replicaLagThreshold(ctx: PlanContext, identifier: string | undefined): number | undefined {
  const alarm = ctx.resources.find(
    (r) =>
      r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" &&
      r.inputs.metricName === "ReplicaLag" &&
      (r.inputs.dimensions as Record<string, string> | undefined)?.DBInstanceIdentifier ===
        identifier,
  );
  return typeof alarm?.inputs.threshold === "number" ? alarm.inputs.threshold : undefined;
}

/**
 * The database's rows: PITR of each writer (transaction logs every 5 min while backups are
 * kept), Multi-AZ failover, each read replica bounded by its ReplicaLag alarm (none: unbounded),
 * the cross-region one carrying the data a region failover keeps, and the pg_dump CronJob (RPO
 * its cron's longest gap). Restore times are a drill's figures (tools/pg-drill), not the plan's.
 */
export function postgresObjectives(ctx: PlanContext): ObjectiveInput[] {
  const rows: ObjectiveInput[] = [];
  const row = (r: Omit<ObjectiveInput, "area">): ObjectiveInput => ({ area: "postgresql", ...r });
  for (const instance of ctx.resources.filter((r) => r.type === INSTANCE_TYPE)) {
    const i = instance.inputs as InstanceInputs;
    if (!i.replicateSourceDb) {
      const days = i.backupRetentionPeriod ?? 0;
      rows.push(
        row({
          mechanism: `PostgreSQL PITR (transaction logs) \`${i.identifier}\``,
          rpo: days > 0 ? RDS_LOG_UPLOAD_SECONDS : "unbounded",
          basis:
            days > 0
              ? `automated backups kept ${days} days; RDS ships transaction logs every ${RDS_LOG_UPLOAD_SECONDS / 60} min`
              : "backupRetentionPeriod 0: no automated backups, no point-in-time recovery",
          target: SEED_BACKUP_OBJECTIVES.metadataWal,
        }),
      );
      if (i.multiAz)
        rows.push(
          row({
            mechanism: `PostgreSQL Multi-AZ failover \`${i.identifier}\``,
            rpo: 0,
            rto: RDS_MULTI_AZ_FAILOVER_SECONDS,
            basis: "synchronous standby in another zone; failover typically 60–120 s",
            target: SEED_RECOVERY_PROCEDURES.metadataRecovery,
          }),
        );
      continue;
    }
    const sourceRegion = i.replicateSourceDb.startsWith("arn:")
      ? i.replicateSourceDb.split(":")[3]
      : instance.region;
    const crossRegion = sourceRegion !== instance.region;
    const lag = replicaLagThreshold(ctx, i.identifier);
    const target: SeedObjective = crossRegion
      ? SEED_RECOVERY_PROCEDURES.regionFailover
      : SEED_BACKUP_OBJECTIVES.metadataWal;
    rows.push(
      row({
        mechanism: `PostgreSQL ${crossRegion ? "cross-region" : "in-region"} replica \`${i.identifier}\` (${sourceRegion} → ${instance.region})`,
        rpo: lag ?? "unbounded",
        basis:
          lag === undefined
            ? "no ReplicaLag alarm on it: asynchronous, best effort"
            : `asynchronous; the ReplicaLag alarm fires above ${lag} s`,
        target,
        crossRegion,
      }),
    );
  }
  for (const cron of ctx.resources.filter(
    (r) =>
      r.type === "kubernetes:batch/v1:CronJob" &&
      ctx.resources.some((b) => b.urn === r.parent && b.type === BACKUP_TYPE),
  )) {
    const { metadata, spec } = cron.inputs as CronJobInputs;
    if (!spec?.schedule) continue;
    rows.push(
      row({
        mechanism: `pg_dump CronJob \`${metadata?.name}\``,
        rpo: cronMaxGapSeconds(spec.schedule),
        basis: `schedule \`${spec.schedule}\` (${spec.timeZone ?? "UTC"}): the longest gap between two dumps`,
        target: SEED_BACKUP_OBJECTIVES.metadataPgDump,
      }),
    );
  }
  return rows;
}

export const postgresPlanExtension: PlanExtension = {
  name: "postgres",
  artifacts,
  sections,
  objectives: postgresObjectives,
};
