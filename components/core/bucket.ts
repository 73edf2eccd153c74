/**
 * The one way this project makes an S3 bucket: versioned, private (public access blocked,
 * bucket-owner-enforced ownership), encrypted by default, TLS 1.2+ only, with lifecycle rules.
 * The backup vault (components/backup) and the load-balancer log bucket (components/edge) are
 * both built here, so a hardening change reaches every bucket at once.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./naming";
import type { PolicyDocument, PolicyStatement } from "./policy-document";

type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/** Denies every request not made over TLS 1.2 or later. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  const resources = [bucketArn, `${bucketArn}/*`];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyTlsOlderThan12",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
    ],
  };
}

/** Current versions under `prefix` expire after `days`; the versions they leave, `noncurrentDays` later. */
export function expiringPrefixRule(
  id: string,
  prefix: string,
  days: number,
  noncurrentDays: number,
): LifecycleRule {
  return { ...noncurrentVersionsRule(id, prefix, noncurrentDays), expiration: { days } };
}

/**
 * Only the noncurrent versions under `prefix` are removed, `noncurrentDays` after they became
 * noncurrent; current versions are never expired. For prefixes whose owner deletes what it no
 * longer needs (a snapshot repository): its deletes become delete markers under versioning, and
 * this rule removes the versions they leave behind.
 */
export function noncurrentVersionsRule(
  id: string,
  prefix: string,
  noncurrentDays: number,
): LifecycleRule {
  return {
    id,
    status: "Enabled",
    filter: { prefix },
    noncurrentVersionExpiration: { noncurrentDays },
  };
}

/** Bucket-wide: orphaned delete markers and unfinished multipart uploads are removed. */
export function cleanupRule(incompleteUploadDays: number): LifecycleRule {
  return {
    id: "cleanup-delete-markers-and-uploads",
    status: "Enabled",
    filter: {},
    expiration: { expiredObjectDeleteMarker: true },
    abortIncompleteMultipartUpload: { daysAfterInitiation: incompleteUploadDays },
  };
}

/** Default encryption: SSE-KMS with a customer managed key, or SSE-S3 where KMS cannot be used. */
export type BucketEncryption =
  { sseAlgorithm: "aws:kms"; kmsMasterKeyId: pulumi.Input<string> } | { sseAlgorithm: "AES256" };

export interface HardenedBucketArgs {
  /** Region of the bucket and of every resource beside it. Required. */
  region: string;
  /** Default encryption. Required: the owner says which (the vault KMS, the log bucket SSE-S3). */
  encryption: BucketEncryption;
  /** Lifecycle rules (retention made real under versioning). Required. */
  lifecycleRules: LifecycleRule[];
  /** Protect the bucket against deletion. Required (the caller's `protect` config). */
  protect: boolean;
  /** S3 Object Lock on the bucket (only settable at creation). Default: not set (off). */
  objectLockEnabled?: boolean;
  /** Statements added to the TLS-only bucket policy, given the bucket's ARN. Default none. */
  policyStatements?: (bucketArn: string) => pulumi.Input<PolicyStatement[]>;
}

/** The bucket and the resources beside it that later steps may need to wait for. */
export interface HardenedBucket {
  bucket: aws.s3.Bucket;
  versioning: aws.s3.BucketVersioning;
  /** The bucket policy: whoever needs its grants in place (ALB access logs) depends on it. */
  policy: aws.s3.BucketPolicy;
}

/**
 * Creates the bucket and its hardening as children of `parent`, named `${name}-<role>` (bucket,
 * ownership, public-access, versioning, encryption, policy, lifecycle): the names the vault and
 * the log bucket have always had, so their URNs do not move.
 */
export function hardenedBucket(
  name: string,
  args: HardenedBucketArgs,
  parent: pulumi.Resource,
): HardenedBucket {
  const { region } = args;
  const child = { parent };
  const bucketResource = new aws.s3.Bucket(
    childName(name, "bucket"),
    {
      region,
      // Unset (undefined) is not sent: the bucket has no Object Lock.
      objectLockEnabled: args.objectLockEnabled,
      forceDestroy: false,
    },
    { ...child, protect: args.protect },
  );
  const bucket = bucketResource.bucket;
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
  const kms = args.encryption.sseAlgorithm === "aws:kms";
  new aws.s3.BucketServerSideEncryptionConfiguration(
    childName(name, "encryption"),
    {
      region,
      bucket,
      rules: [
        {
          applyServerSideEncryptionByDefault: args.encryption,
          // S3 Bucket Keys cut KMS requests; they mean nothing for SSE-S3.
          ...(kms ? { bucketKeyEnabled: true } : {}),
        },
      ],
    },
    child,
  );
  const extra = args.policyStatements;
  const policy = new aws.s3.BucketPolicy(
    childName(name, "policy"),
    {
      region,
      bucket,
      policy: bucketResource.arn.apply((arn) =>
        pulumi.output(extra ? extra(arn) : []).apply((statements) => {
          const tls = tlsOnlyBucketPolicy(arn);
          return JSON.stringify({ ...tls, Statement: [...tls.Statement, ...statements] });
        }),
      ),
    },
    // S3 refuses a policy while a public access block is being put on the same bucket.
    { ...child, dependsOn: [publicAccess] },
  );
  new aws.s3.BucketLifecycleConfiguration(
    childName(name, "lifecycle"),
    { region, bucket, rules: args.lifecycleRules },
    { ...child, dependsOn: [versioning] },
  );
  return { bucket: bucketResource, versioning, policy };
}
