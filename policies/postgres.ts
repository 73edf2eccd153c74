/**
 * Metadata database guardrails (seed 16.2, 17.1): every RDS for PostgreSQL instance is private
 * and encrypted; every standalone one is Multi-AZ, keeps automated backups at least as long as
 * the seed's WAL row and cannot be deleted by accident; parameter groups force TLS.
 * Point-in-time restores (drill copies beside the primary) are exempt from Multi-AZ and
 * deletion protection: they are meant to be thrown away.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { SEED_WAL_RETENTION_DAYS } from "../config/postgres";

const INSTANCE = "aws:rds/instance:Instance";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";

/** The instance and parameter-group inputs the rules read. */
interface Props {
  engine?: string;
  replicateSourceDb?: string;
  restoreToPointInTime?: unknown;
  multiAz?: boolean;
  backupRetentionPeriod?: number;
  deletionProtection?: boolean;
  skipFinalSnapshot?: boolean;
  finalSnapshotIdentifier?: string;
  storageEncrypted?: boolean;
  kmsKeyId?: string;
  publiclyAccessible?: boolean;
  parameterGroupName?: string;
  family?: string;
  parameters?: { name?: string; value?: unknown }[];
}
/**
 * An instance that names no engine inherits its source's (a replica, a restore, and the promoted
 * DR instance, which drops replicateSourceDb and names none): in this project always PostgreSQL.
 * Requiring engine or replicateSourceDb left the promoted DR writer unchecked by every rule here
 * (found by its mutations, policies/postgres.mutations.ts).
 */
// An RDS instance's engine is exactly "postgres" (Aurora's are clusters, not instances).
const isPostgres = (p: Props) => p.engine === undefined || p.engine === "postgres";
const isReplica = (p: Props) => p.replicateSourceDb !== undefined;
const isRestore = (p: Props) => p.restoreToPointInTime !== undefined;

function instanceRule(
  name: string,
  description: string,
  remediationSteps: string,
  check: (p: Props) => string | undefined,
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    remediationSteps,
    validateResource: (args, report) => {
      if (args.type !== INSTANCE || !isPostgres(args.props)) return;
      const problem = check(args.props);
      if (problem) report(problem);
    },
  };
}

export const postgresMultiAz = instanceRule(
  "vega-postgres-multi-az",
  "A standalone PostgreSQL instance (not a replica, not a restore drill) is Multi-AZ.",
  "Set multiAz: true on the instance (vega-ha:postgres); Multi-AZ keeps a synchronous standby in another zone.",
  (p) => (isReplica(p) || isRestore(p) || p.multiAz === true ? undefined : "multiAz must be true"),
);

export const postgresBackupRetention = instanceRule(
  "vega-postgres-backup-retention",
  `A standalone PostgreSQL instance keeps automated backups (PITR) at least ${SEED_WAL_RETENTION_DAYS} days (seed 16.2 WAL archive row).`,
  `Set backupRetentionPeriod to at least ${SEED_WAL_RETENTION_DAYS} days (vega-ha:postgres backup retention; seed 16.2).`,
  (p) =>
    isReplica(p) || (p.backupRetentionPeriod ?? 0) >= SEED_WAL_RETENTION_DAYS
      ? undefined
      : `backupRetentionPeriod is ${p.backupRetentionPeriod ?? 0}, expected at least ${SEED_WAL_RETENTION_DAYS}`,
);

export const postgresDeletionProtection = instanceRule(
  "vega-postgres-deletion-protection",
  "A PostgreSQL instance (restore drills excepted) has deletion protection; a standalone one also a final snapshot.",
  "Set deletionProtection: true, and on a standalone instance skipFinalSnapshot: false with a finalSnapshotIdentifier.",
  (p) => {
    if (isRestore(p)) return undefined;
    if (p.deletionProtection !== true) return "deletionProtection must be true";
    if (!isReplica(p) && (p.skipFinalSnapshot !== false || !p.finalSnapshotIdentifier))
      return "skipFinalSnapshot must be false, with a finalSnapshotIdentifier";
    return undefined;
  },
);

export const postgresEncrypted = instanceRule(
  "vega-postgres-encrypted",
  "A PostgreSQL instance is encrypted at rest with a customer key (a cross-region replica names a key of its own region).",
  "Set storageEncrypted: true with kmsKeyId the database's own KMS key; a cross-region replica names a key of its own region.",
  (p) => {
    if (p.storageEncrypted !== true && !(isReplica(p) && p.kmsKeyId))
      return "storageEncrypted must be true";
    if (String(p.replicateSourceDb).startsWith("arn:") && !p.kmsKeyId)
      return "a cross-region replica of an encrypted source needs kmsKeyId (a key in its region)";
    if (!isReplica(p) && !p.kmsKeyId) return "kmsKeyId must name the database's own KMS key";
    return undefined;
  },
);

export const postgresNotPublic = instanceRule(
  "vega-postgres-not-public",
  "A PostgreSQL instance is never publicly accessible.",
  "Set publiclyAccessible: false and keep the instance in the private subnets' subnet group.",
  (p) => (p.publiclyAccessible === true ? "publiclyAccessible must be false" : undefined),
);

export const postgresForceSsl: ResourceValidationPolicy = {
  name: "vega-postgres-force-ssl",
  description:
    "PostgreSQL parameter groups set rds.force_ssl = 1, and every PostgreSQL instance uses one of ours (not the default group).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set rds.force_ssl = 1 in the parameter group and give every instance that group's name in parameterGroupName.",
  validateResource: (args, report) => {
    if (args.type === PARAMETER_GROUP && String(args.props.family).startsWith("postgres")) {
      const forceSsl = ((args.props as Props).parameters ?? []).find(
        (x) => x.name === "rds.force_ssl",
      );
      if (String(forceSsl?.value) !== "1") report("rds.force_ssl must be 1 (TLS only)");
    }
    if (args.type === INSTANCE && isPostgres(args.props) && !args.props.parameterGroupName)
      report("parameterGroupName must name a group with rds.force_ssl = 1");
  },
};

export const postgresPolicies = [
  postgresMultiAz,
  postgresBackupRetention,
  postgresDeletionProtection,
  postgresEncrypted,
  postgresNotPublic,
  postgresForceSsl,
];
