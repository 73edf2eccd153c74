/**
 * Recovery guardrails (seed 16.1-16.3): a DR stack that follows the primary replicates every
 * store into its region (backups with S3 Replication Time Control, the search indices through
 * cross-cluster auto-follow, the metadata database through a cross-region replica and its
 * automated backups), and every backup mechanism keeps its copies at least as long as seed 16.2.
 * Promotion (seed 16.3 region_failover) removes every link at once: a promoted DR stack has none.
 */
import type {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { BACKUP_PREFIXES } from "../components/backup/lifecycle";
import { BACKUP_VAULT_TYPE } from "../components/backup/vault";
import { OPENSEARCH_REST_TYPE } from "../components/opensearch/rest";
import { SEED_BACKUP_RETENTION } from "../config/backup";

const BUCKET_REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const RDS_INSTANCE = "aws:rds/instance:Instance";
const BACKUPS_REPLICATION =
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

/**
 * The region inside an ARN (arn:aws:<service>:<region>:...); undefined for a name, since an RDS
 * identifier has no colon (letters, digits and hyphens).
 */
const arnRegion = (value: unknown) => (typeof value === "string" ? value.split(":")[3] : undefined);

/** The stack's own region: its AWS provider's. */
function stackRegion(resources: PolicyResource[]): string | undefined {
  return resources.find((r) => r.type === "pulumi:providers:aws")?.props.region;
}

/** An RDS instance replicating from another region (replicateSourceDb is then an ARN there). */
const crossRegionReplica = (r: PolicyResource, region: string | undefined) =>
  r.type === RDS_INSTANCE &&
  arnRegion(r.props.replicateSourceDb) !== undefined &&
  arnRegion(r.props.replicateSourceDb) !== region;

/** The links that make a stack a follower of the primary, by store. */
function replicationLinks(resources: PolicyResource[]) {
  const region = stackRegion(resources);
  return {
    backups: resources.filter((r) => r.type === BUCKET_REPLICATION),
    search: resources.filter(
      (r) => r.type === OPENSEARCH_REST_TYPE && r.props.kind === "autoFollowRule",
    ),
    database: resources.filter((r) => crossRegionReplica(r, region)),
    databaseBackups: resources.filter((r) => r.type === BACKUPS_REPLICATION),
  };
}

const WHAT: Record<keyof ReturnType<typeof replicationLinks>, string> = {
  backups:
    "S3 replication of the primary's backup vault into this region (BucketReplicationConfig)",
  search: "an OpenSearch cross-cluster auto-follow rule from the primary's domain",
  database: "a cross-region RDS read replica of the primary's instance",
  databaseBackups:
    "replication of the primary's RDS automated backups (InstanceAutomatedBackupsReplication)",
};

export const drReplicationPresent: StackValidationPolicy = {
  name: "vega-dr-replication-present",
  description:
    "A DR stack that follows the primary (any replication link declared) has all of them: S3 replication of the backup vault with Replication Time Control, OpenSearch auto-follow, an RDS cross-region replica and automated-backups replication. A promoted DR stack and the primary declare none.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Deploy the DR stack with vega-ha:promoted false and vega-ha:backup.replication enabled with replicationTimeControl: true; it then declares the S3 replication (RTC), the OpenSearch connection and auto-follow rules, the RDS cross-region replica and InstanceAutomatedBackupsReplication together. To stop replicating, promote (vega-ha:promoted true), which removes them all.",
  validateStack: (args, report) => {
    const links = replicationLinks(args.resources);
    const present = Object.values(links).some((l) => l.length > 0);
    if (!present) return;
    for (const [store, found] of Object.entries(links) as [keyof typeof links, PolicyResource[]][])
      if (found.length === 0) report(`this stack follows the primary but lacks ${WHAT[store]}`);
    for (const config of links.backups) {
      for (const rule of (config.props.rules ?? []) as PolicyResource["props"][]) {
        if (rule.status !== "Enabled") continue;
        // RTC: 99.99 % of objects within 15 minutes, and its metrics (the replication alarms).
        if (rule.destination?.replicationTime?.status !== "Enabled")
          report(`rule ${rule.id}: Replication Time Control is off`, config.urn);
      }
    }
    const sources = new Set(links.database.map((r) => r.props.replicateSourceDb));
    for (const b of links.databaseBackups)
      if (!sources.has(b.props.sourceDbInstanceArn))
        report(
          `${b.name} replicates the backups of ${b.props.sourceDbInstanceArn}, not of the instance this stack's replica follows`,
          b.urn,
        );
  },
};

/** Whether a lifecycle rule's prefix covers `prefix` (the same, a parent, or the whole bucket). */
const covers = (rulePrefix: string, prefix: string) => prefix.startsWith(rulePrefix);
const prefixOf = (rule: PolicyResource["props"]): string =>
  rule.filter?.prefix ?? rule.filter?.and?.prefix ?? rule.prefix ?? "";

export const backupRetentionAtLeastSeed: ResourceValidationPolicy = {
  name: "vega-backup-retention-at-least-seed",
  description:
    "Backups are kept at least as long as seed 16.2: no vault lifecycle rule expires metadata/daily/ pg_dumps sooner than metadataDailyDays, and replicated RDS automated backups are kept walArchiveDays. (RDS's own retention: vega-postgres-backup-retention; OpenSearch snapshots: vega-opensearch-snapshot-schedules.)",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set vega-ha:backup.retention.metadataDailyDays to at least the seed's 30, and the automated-backups replication's retentionPeriod to at least the seed's 7 days (vega-ha:postgres).",
  configSchema: {
    properties: {
      metadataDailyDays: {
        type: "integer",
        minimum: SEED_BACKUP_RETENTION.metadataDailyDays,
        default: SEED_BACKUP_RETENTION.metadataDailyDays,
        description: "Fewest days a daily pg_dump is kept (seed 16.2: 30).",
      },
      walArchiveDays: {
        type: "integer",
        minimum: SEED_BACKUP_RETENTION.walArchiveDays,
        default: SEED_BACKUP_RETENTION.walArchiveDays,
        description: "Fewest days replicated automated backups (PITR) are kept (seed 16.2: 7).",
      },
    },
  },
  validateResource: (args, report) => {
    const limits = args.getConfig<{ metadataDailyDays: number; walArchiveDays: number }>();
    if (args.type === LIFECYCLE && args.urn.includes(`${BACKUP_VAULT_TYPE}$`)) {
      const prefix = BACKUP_PREFIXES.metadataDaily.prefix;
      for (const rule of (args.props.rules ?? []) as PolicyResource["props"][]) {
        const days = rule.expiration?.days;
        // A rule that expires no current version (days undefined) compares false: nothing to say.
        if (rule.status === "Disabled") continue;
        if (covers(prefixOf(rule), prefix) && days < limits.metadataDailyDays)
          report(
            `rule ${rule.id} expires ${prefix} after ${days} days, the seed keeps pg_dumps ${limits.metadataDailyDays}`,
          );
      }
    }
    if (args.type === BACKUPS_REPLICATION) {
      // Unset, AWS keeps replicated automated backups 7 days (provider docs, retention_period).
      const days = Number(args.props.retentionPeriod ?? 7);
      if (days < limits.walArchiveDays)
        report(`replicated automated backups kept ${days} days, at least ${limits.walArchiveDays}`);
    }
  },
};

export const recoveryPolicies = [drReplicationPresent, backupRetentionAtLeastSeed];
