import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { objectLockProblem, type BackupConfig, type BackupRetention } from "../../config";
import { childName, ownKey } from "../core";
import { LoadBalancerLogBucket } from "./lb-logs";
import { backupLifecycleRules } from "./lifecycle";
import { tlsOnlyBucketPolicy } from "./policies";

export interface BackupVaultArgs {
  /** AWS region of the bucket and its key; every child is created there. Required. */
  region: string;
  /** Days each prefix is kept (seed 16.2). Required; the config supplies the seed defaults. */
  retention: BackupRetention;
  /** S3 Object Lock in governance mode. Default: enabled, 3 days. */
  objectLock?: BackupConfig["objectLock"];
  /** Protect the bucket and its key against deletion. Default true. */
  protect?: boolean;
  /**
   * Also create the region's load-balancer access-log bucket (SSE-S3: ALB logs cannot go to
   * this SSE-KMS vault; see lb-logs.ts). Default: none.
   */
  loadBalancerLogs?: { prefix: string; retentionDays: number };
}

const DEFAULT_OBJECT_LOCK: BackupConfig["objectLock"] = {
  enabled: true,
  mode: "GOVERNANCE",
  days: 3,
};

/** Throws at once on arguments that cannot work together. */
export function validateBackupVaultArgs(args: BackupVaultArgs): void {
  const problem = objectLockProblem(args.retention, args.objectLock ?? DEFAULT_OBJECT_LOCK);
  if (problem) throw new Error(`BackupVault objectLock.days: ${problem}`);
}

/**
 * One region's backup storage (seed 16.1/16.2): a versioned S3 bucket encrypted with its own KMS
 * key, public access blocked, TLS-only, lifecycle retention per prefix, optional Object Lock.
 */
export class BackupVault extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly key: aws.kms.Key;
  public readonly region: string;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** The load-balancer log bucket, when asked for. */
  public readonly loadBalancerLogs?: LoadBalancerLogBucket;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    validateBackupVaultArgs(args);
    super("vega:backup:BackupVault", name, {}, opts);
    const region = args.region;
    const protect = args.protect ?? true;
    const objectLock = args.objectLock ?? DEFAULT_OBJECT_LOCK;
    const child = { parent: this };

    this.key = ownKey(
      name,
      { region, description: `Backups of ${name}` },
      { parent: this, protect },
    );

    this.bucket = new aws.s3.Bucket(
      childName(name, "bucket"),
      {
        region,
        objectLockEnabled: objectLock.enabled,
        forceDestroy: false,
      },
      { ...child, protect },
    );
    const bucket = this.bucket.bucket;

    new aws.s3.BucketOwnershipControls(
      childName(name, "ownership"),
      { region, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      childName(name, "public-access"),
      {
        region,
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(
      childName(name, "versioning"),
      {
        region,
        bucket,
        versioningConfiguration: { status: "Enabled" },
      },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      childName(name, "encryption"),
      {
        region,
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: this.key.arn,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    new aws.s3.BucketPolicy(
      childName(name, "policy"),
      {
        region,
        bucket,
        policy: this.bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
      },
      { ...child, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      childName(name, "lifecycle"),
      {
        region,
        bucket,
        rules: backupLifecycleRules(args.retention),
      },
      { ...child, dependsOn: [versioning] },
    );
    if (objectLock.enabled) {
      new aws.s3.BucketObjectLockConfiguration(
        childName(name, "object-lock"),
        {
          region,
          bucket,
          objectLockEnabled: "Enabled",
          rule: { defaultRetention: { mode: objectLock.mode, days: objectLock.days } },
        },
        { ...child, dependsOn: [versioning] },
      );
    }

    if (args.loadBalancerLogs) {
      this.loadBalancerLogs = new LoadBalancerLogBucket(
        childName(name, "lb-logs"),
        {
          region,
          ...args.loadBalancerLogs,
          noncurrentVersionDays: args.retention.noncurrentVersionDays,
          incompleteUploadDays: args.retention.incompleteUploadDays,
          protect,
        },
        child,
      );
    }

    this.region = region;
    this.bucketName = bucket;
    this.bucketArn = this.bucket.arn;
    this.kmsKeyArn = this.key.arn;
    this.registerOutputs({
      region,
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
