import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { objectLockProblem, type BackupConfig, type BackupRetention } from "../../config";
import { childName, hardenedBucket, ownKey } from "../core";
import { backupLifecycleRules } from "./lifecycle";

export interface BackupVaultArgs {
  /** AWS region of the bucket and its key; every child is created there. Required. */
  region: string;
  /** Days each prefix is kept (seed 16.2). Required; the config supplies the seed defaults. */
  retention: BackupRetention;
  /** S3 Object Lock in governance mode. Required; the config supplies the default (on, 3 days). */
  objectLock: BackupConfig["objectLock"];
  /** Protect the bucket and its key against deletion. Required (config `protect`, default true). */
  protect: boolean;
}

/** Throws at once on arguments that cannot work together. */
export function validateBackupVaultArgs(args: BackupVaultArgs): void {
  const problem = objectLockProblem(args.retention, args.objectLock);
  if (problem) throw new Error(`BackupVault objectLock.days: ${problem}`);
}

/**
 * One region's backup storage (seed 16.1/16.2): a hardened bucket (components/core/bucket.ts)
 * encrypted with its own KMS key, lifecycle retention per prefix, optional Object Lock.
 */
/** Type token of {@link BackupVault} (policies find the vault's children by it). */
export const BACKUP_VAULT_TYPE = "vega:backup:BackupVault";

export class BackupVault extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly key: aws.kms.Key;
  public readonly region: string;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** Whether the bucket has Object Lock (a replication destination must have it too). */
  public readonly objectLockEnabled: boolean;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    validateBackupVaultArgs(args);
    super(BACKUP_VAULT_TYPE, name, {}, opts);
    const { region, objectLock, protect } = args;
    const child = { parent: this };

    this.key = ownKey(
      name,
      { region, description: `Backups of ${name}` },
      { parent: this, protect },
    );

    const { bucket, versioning } = hardenedBucket(
      name,
      {
        region,
        encryption: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
        lifecycleRules: backupLifecycleRules(args.retention),
        protect,
        objectLockEnabled: objectLock.enabled,
      },
      this,
    );
    if (objectLock.enabled) {
      new aws.s3.BucketObjectLockConfiguration(
        childName(name, "object-lock"),
        {
          region,
          bucket: bucket.bucket,
          objectLockEnabled: "Enabled",
          rule: { defaultRetention: { mode: objectLock.mode, days: objectLock.days } },
        },
        { ...child, dependsOn: [versioning] },
      );
    }

    this.bucket = bucket;
    this.region = region;
    this.objectLockEnabled = objectLock.enabled;
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = this.key.arn;
    this.registerOutputs({
      region,
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      kmsKeyArn: this.kmsKeyArn,
      objectLockEnabled: this.objectLockEnabled,
    });
  }
}
