/**
 * The database's part of the offline plan: the logical-backup scripts as the pod gets them
 * (`postgres/<file>`), and a summary of every instance for the pull request.
 */
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
  return `| \`${i.identifier}\` | ${r.region} | ${role} | ${i.instanceClass} | ${i.multiAz ? "yes" : "no"} | ${i.backupRetentionPeriod ?? "-"} | ${i.backupWindow ?? "-"} | ${i.maintenanceWindow} | ${i.deletionProtection ? "yes" : "no"} |`;
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
      return `Logical backup: CronJob \`${metadata?.name}\`, \`${spec?.schedule}\` (${spec?.timeZone}), deadline ${spec?.jobTemplate?.spec?.activeDeadlineSeconds} s, concurrency ${spec?.concurrencyPolicy}; scripts in \`postgres/\`.`;
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
export const postgresPlanExtension: PlanExtension = { name: "postgres", artifacts, sections };
