import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cleanupRule, expiringPrefixRule, hardenedBucket, type PolicyStatement } from "../core";
import { ELB_LOG_DELIVERY_ACCOUNTS, ELB_LOG_DELIVERY_SERVICE } from "./elb-accounts";

/** Type token of the log bucket; the SSE-KMS policy rule exempts exactly this component. */
export const LOAD_BALANCER_LOG_BUCKET_TYPE = "vega:edge:LoadBalancerLogBucket";

/** Where it lived before it moved to the edge (kept as an alias so no stack replaces it). */
export const LEGACY_LOAD_BALANCER_LOG_BUCKET_TYPE = "vega:backup:LoadBalancerLogBucket";

export interface LoadBalancerLogDelivery {
  bucketArn: string;
  /** Prefix the load balancer writes under (no leading or trailing slash). */
  prefix: string;
  /** Account that owns the load balancers (logs land under AWSLogs/<account>/). */
  accountId: string;
  region: string;
}

/**
 * Lets Elastic Load Balancing write access logs, and nothing else: only PutObject, only under
 * `<prefix>/AWSLogs/<own account>/`. The regional ELB account is named where the region has
 * one (regions before August 2022), the service principal always (regions since).
 */
export function loadBalancerLogDeliveryStatements(d: LoadBalancerLogDelivery): PolicyStatement[] {
  const resource = `${d.bucketArn}/${d.prefix}/AWSLogs/${d.accountId}/*`;
  const legacyAccount = ELB_LOG_DELIVERY_ACCOUNTS[d.region];
  return [
    ...(legacyAccount
      ? [
          {
            Sid: "ElbLogDeliveryRegionalAccount",
            Effect: "Allow" as const,
            Principal: { AWS: `arn:aws:iam::${legacyAccount}:root` },
            Action: "s3:PutObject",
            Resource: resource,
          },
        ]
      : []),
    {
      Sid: "ElbLogDeliveryService",
      Effect: "Allow",
      Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
      Action: "s3:PutObject",
      Resource: resource,
    },
  ];
}

export interface LoadBalancerLogBucketArgs {
  /** Region of the bucket: a load balancer only logs to a bucket in its own region. Required. */
  region: string;
  /** Prefix the load balancer writes under. Required. */
  prefix: string;
  /** Days logs are kept. Required (config `edge.accessLogs.retentionDays`). */
  retentionDays: number;
  /** Days a replaced or deleted log version is kept. Required (the config owns the default). */
  noncurrentVersionDays: number;
  /** Days before an unfinished upload is aborted. Required (the config owns the default). */
  incompleteUploadDays: number;
  /** Protect the bucket against deletion. Required (config `protect`). */
  protect: boolean;
}

/**
 * The region's load-balancer access logs, owned by the edge. A hardened bucket of its own
 * (components/core/bucket.ts, like the backup vault) because the vault cannot take them: the ELB
 * guide names SSE-S3 as the only default encryption an access-log bucket may have (the vault is
 * SSE-KMS), and log writes into an Object Lock bucket with default retention are not something
 * AWS documents for ELB delivery. So: SSE-S3, versioned, private, TLS-only, the ELB delivery
 * grant limited to `<prefix>/AWSLogs/<own account>/`, and lifecycle expiry.
 */
export class LoadBalancerLogBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  /** The bucket policy with the delivery grant: the load balancer must be created after it. */
  public readonly policy: aws.s3.BucketPolicy;
  public readonly prefix: string;

  constructor(
    name: string,
    args: LoadBalancerLogBucketArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(LOAD_BALANCER_LOG_BUCKET_TYPE, name, {}, opts);
    const { region, prefix } = args;

    const account = aws.getCallerIdentityOutput({}, { parent: this });
    const { bucket, policy } = hardenedBucket(
      name,
      {
        region,
        // SSE-S3: the only default encryption Elastic Load Balancing can deliver access logs to.
        encryption: { sseAlgorithm: "AES256" },
        lifecycleRules: [
          expiringPrefixRule(
            "expire-access-logs",
            `${prefix}/`,
            args.retentionDays,
            args.noncurrentVersionDays,
          ),
          cleanupRule(args.incompleteUploadDays),
        ],
        protect: args.protect,
        policyStatements: (bucketArn) =>
          account.accountId.apply((accountId) =>
            loadBalancerLogDeliveryStatements({ bucketArn, prefix, accountId, region }),
          ),
      },
      this,
    );

    this.bucket = bucket;
    this.policy = policy;
    this.bucketName = bucket.bucket;
    this.prefix = prefix;
    this.registerOutputs({ bucketName: this.bucketName, prefix });
  }
}
