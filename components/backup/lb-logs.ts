import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../core";
import { cleanupRule, expiringPrefixRule } from "./lifecycle";
import {
  loadBalancerLogDeliveryStatements,
  tlsOnlyBucketPolicy,
  type PolicyDocument,
} from "./policies";

/** Type token of the log bucket; the SSE-KMS policy rule exempts exactly this component. */
export const LOAD_BALANCER_LOG_BUCKET_TYPE = "vega:backup:LoadBalancerLogBucket";

export interface LoadBalancerLogBucketArgs {
  /** Region of the bucket: a load balancer only logs to a bucket in its own region. Required. */
  region: string;
  /** Prefix the load balancer writes under. Required. */
  prefix: string;
  /** Days logs are kept. Required. */
  retentionDays: number;
  /** Days a replaced or deleted log version is kept. Default 1. */
  noncurrentVersionDays?: number;
  /** Days before an unfinished upload is aborted. Default 2. */
  incompleteUploadDays?: number;
  /** Protect the bucket against deletion. Default true. */
  protect?: boolean;
}

/**
 * The region's load-balancer access logs, beside the backup vault. A bucket of its own because
 * the vault cannot take them: the ELB guide names SSE-S3 as the only default encryption an
 * access-log bucket may have (the vault is SSE-KMS), and log writes into an Object Lock bucket
 * with default retention are not something AWS documents for ELB delivery. So: SSE-S3,
 * versioned, private, TLS-only, the ELB delivery grant limited to
 * `<prefix>/AWSLogs/<own account>/`, and lifecycle expiry.
 */
export class LoadBalancerLogBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly prefix: string;

  constructor(
    name: string,
    args: LoadBalancerLogBucketArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(LOAD_BALANCER_LOG_BUCKET_TYPE, name, {}, opts);
    const { region, prefix } = args;
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(
      childName(name, "bucket"),
      { region, forceDestroy: false },
      { ...child, protect: args.protect ?? true },
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
      { region, bucket, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    // SSE-S3: the only default encryption Elastic Load Balancing can deliver access logs to.
    new aws.s3.BucketServerSideEncryptionConfiguration(
      childName(name, "encryption"),
      {
        region,
        bucket,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      child,
    );

    const account = aws.getCallerIdentityOutput({}, child);
    new aws.s3.BucketPolicy(
      childName(name, "policy"),
      {
        region,
        bucket,
        policy: pulumi.all([this.bucket.arn, account.accountId]).apply(([bucketArn, accountId]) => {
          const tls = tlsOnlyBucketPolicy(bucketArn);
          const document: PolicyDocument = {
            ...tls,
            Statement: [
              ...tls.Statement,
              ...loadBalancerLogDeliveryStatements({ bucketArn, prefix, accountId, region }),
            ],
          };
          return JSON.stringify(document);
        }),
      },
      { ...child, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      childName(name, "lifecycle"),
      {
        region,
        bucket,
        rules: [
          expiringPrefixRule(
            "expire-access-logs",
            `${prefix}/`,
            args.retentionDays,
            args.noncurrentVersionDays ?? 1,
          ),
          cleanupRule(args.incompleteUploadDays ?? 2),
        ],
      },
      { ...child, dependsOn: [versioning] },
    );

    this.bucketName = bucket;
    this.prefix = prefix;
    this.registerOutputs({ bucketName: this.bucketName, prefix });
  }
}
