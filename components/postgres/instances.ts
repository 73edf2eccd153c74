/**
 * The RDS instance arguments, as pure functions per role, so each role's AWS rules are in one
 * place and tested without a provider:
 * - primary: Multi-AZ *instance* (a Multi-AZ DB cluster cannot feed a cross-region replica),
 *   gp3, encrypted with the region's key, master password managed by RDS in Secrets Manager.
 * - replicas (in-region or cross-region): inherit engine, master user and database from the
 *   source, so they must not set username, dbName, password or manageMasterUserPassword; a
 *   cross-region source is named by its ARN and the replica's kmsKeyId must be a key of the
 *   replica's region (CreateDBInstanceReadReplica). Deleting a replica cannot take a final
 *   snapshot, so replicas skip it.
 * - promoted: the DR replica without replicateSourceDb (RDS promotes it in place), Multi-AZ,
 *   backups on, its own managed password, final snapshot on delete.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { PostgresConfig } from "../../config";
import { POSTGRES_LOG_EXPORTS } from "./names";

/** What every instance of one region shares. */
export interface InstanceContext {
  region: string;
  settings: PostgresConfig;
  identifier: string;
  kmsKeyArn: pulumi.Input<string>;
  parameterGroupName: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  tags?: Record<string, string>;
}

type Args = aws.rds.InstanceArgs;

function common(c: InstanceContext): Args {
  const s = c.settings;
  return {
    region: c.region,
    identifier: c.identifier,
    instanceClass: s.instanceClass,
    parameterGroupName: c.parameterGroupName,
    vpcSecurityGroupIds: [c.securityGroupId],
    port: s.port,
    publiclyAccessible: false,
    storageType: "gp3",
    storageEncrypted: true,
    iamDatabaseAuthenticationEnabled: true,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: c.kmsKeyArn,
    performanceInsightsRetentionPeriod: s.performanceInsightsRetentionDays,
    enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
    autoMinorVersionUpgrade: true,
    maintenanceWindow: s.maintenanceWindow,
    copyTagsToSnapshot: true,
    deletionProtection: true,
    caCertIdentifier: "rds-ca-rsa2048-g1",
    tags: c.tags,
  };
}

/** Settings only a standalone instance (primary, promoted, restored) takes. */
function standalone(
  c: InstanceContext,
  dbSubnetGroupName: pulumi.Input<string>,
  finalSnapshotIdentifier: string,
): Partial<Args> {
  const s = c.settings;
  return {
    kmsKeyId: c.kmsKeyArn,
    dbSubnetGroupName,
    multiAz: true,
    allocatedStorage: s.allocatedStorageGiB,
    maxAllocatedStorage: s.maxAllocatedStorageGiB,
    backupRetentionPeriod: s.backupRetentionDays,
    backupWindow: s.backupWindow,
    deleteAutomatedBackups: false,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier,
  };
}

export function primaryInstanceArgs(
  c: InstanceContext,
  dbSubnetGroupName: pulumi.Input<string>,
  finalSnapshotIdentifier: string,
): Args {
  const s = c.settings;
  return {
    ...common(c),
    ...standalone(c, dbSubnetGroupName, finalSnapshotIdentifier),
    engine: "postgres",
    engineVersion: String(s.engineMajorVersion),
    dbName: s.databaseName,
    username: s.masterUsername,
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: c.kmsKeyArn,
  };
}

/** A read replica in the source's region: the source by identifier, its subnet group inherited. */
export function inRegionReplicaArgs(
  c: InstanceContext,
  sourceIdentifier: pulumi.Input<string>,
): Args {
  return {
    ...common(c),
    replicateSourceDb: sourceIdentifier,
    multiAz: false,
    skipFinalSnapshot: true,
  };
}

/** The DR replica: the source by ARN, this region's key and subnet group. */
export function crossRegionReplicaArgs(
  c: InstanceContext,
  sourceArn: pulumi.Input<string>,
  dbSubnetGroupName: pulumi.Input<string>,
): Args {
  return {
    ...common(c),
    replicateSourceDb: sourceArn,
    kmsKeyId: c.kmsKeyArn,
    dbSubnetGroupName,
    multiAz: false,
    skipFinalSnapshot: true,
  };
}

/**
 * The DR instance after region failover: same resource as the replica (RDS promotes it when
 * replicateSourceDb goes away), standalone from then on.
 */
export function promotedInstanceArgs(
  c: InstanceContext,
  dbSubnetGroupName: pulumi.Input<string>,
  finalSnapshotIdentifier: string,
): Args {
  return {
    ...common(c),
    ...standalone(c, dbSubnetGroupName, finalSnapshotIdentifier),
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: c.kmsKeyArn,
  };
}

/** A new instance restored from the primary's automated backups to a point in time. */
export function restoredInstanceArgs(
  c: InstanceContext,
  sourceIdentifier: pulumi.Input<string>,
  restore: NonNullable<PostgresConfig["restore"]>,
  dbSubnetGroupName: pulumi.Input<string>,
  finalSnapshotIdentifier: string,
): Args {
  return {
    ...common(c),
    ...standalone(c, dbSubnetGroupName, finalSnapshotIdentifier),
    // A drill copy: one zone is enough, and it may be deleted without a fight.
    multiAz: false,
    deletionProtection: false,
    restoreToPointInTime: {
      sourceDbInstanceIdentifier: sourceIdentifier,
      ...(restore.time !== undefined
        ? { restoreTime: restore.time }
        : { useLatestRestorableTime: true }),
    },
  };
}
