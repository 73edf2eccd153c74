/** Backup storage guardrails (seed 16.1/16.2): versioned, encrypted, private, retained, protected. */
import * as aws from "@pulumi/aws";
import { SNAPSHOT_REPOSITORY_PREFIXES } from "../components/backup/lifecycle";
import { BACKUP_VAULT_TYPE } from "../components/backup/vault";
import { LOAD_BALANCER_LOG_BUCKET_TYPE } from "../components/edge/access-logs";
import {
  validateResourceOfType,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";

export const s3VersioningEnabled: ResourceValidationPolicy = {
  name: "vega-s3-versioning-enabled",
  description: "S3 buckets keep versions, so a bad write or delete can be undone.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set `versioningConfiguration.status: "Enabled"` on the bucket\'s BucketVersioning.',
  validateResource: validateResourceOfType(aws.s3.BucketVersioning, (v, _args, report) => {
    // Stryker disable next-line OptionalChaining: versioningConfiguration is a required input of BucketVersioning (the provider refuses the resource without it)
    if (v.versioningConfiguration?.status !== "Enabled") report("versioning must be Enabled");
  }),
};

export const s3EncryptedWithKms: ResourceValidationPolicy = {
  name: "vega-s3-sse-kms",
  description:
    "S3 default encryption is SSE-KMS with a customer managed key (except the load-balancer log bucket, see vega-lb-log-bucket-sse-s3).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set the bucket's default encryption to `sseAlgorithm: \"aws:kms\"` with the vault's own KMS key as `kmsMasterKeyId`.",
  validateResource: validateResourceOfType(
    aws.s3.BucketServerSideEncryptionConfiguration,
    (e, args, report) => {
      // ELB access logs can only be delivered to SSE-S3: that bucket has its own rule (edge.ts).
      if (args.urn.includes(`${LOAD_BALANCER_LOG_BUCKET_TYPE}$`)) return;
      const rules = e.rules ?? [];
      if (rules.length === 0) report("no encryption rule");
      for (const rule of rules) {
        const d = rule.applyServerSideEncryptionByDefault;
        if (d?.sseAlgorithm !== "aws:kms" || !d.kmsMasterKeyId)
          report("default encryption must be aws:kms with a kmsMasterKeyId");
      }
    },
  ),
};

export const s3PublicAccessBlocked: ResourceValidationPolicy = {
  name: "vega-s3-public-access-blocked",
  description: "All four S3 public access block settings are on.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true on the bucket's BucketPublicAccessBlock.",
  validateResource: validateResourceOfType(aws.s3.BucketPublicAccessBlock, (b, _args, report) => {
    const off = (
      ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const
    ).filter((k) => b[k] !== true);
    if (off.length > 0) report(`public access block settings off: ${off.join(", ")}`);
  }),
};

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: "vega-kms-key-rotation",
  description: "KMS keys rotate yearly.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `enableKeyRotation: true` on the KMS key.",
  validateResource: validateResourceOfType(aws.kms.Key, (k, _args, report) => {
    if (k.enableKeyRotation !== true) report("enableKeyRotation must be true");
  }),
};

/** Resources whose deletion loses data. */
const STATEFUL_TYPES = ["aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:opensearch/domain:Domain"];

export const statefulProtected: ResourceValidationPolicy = {
  name: "vega-stateful-protected",
  description:
    "Buckets, KMS keys and OpenSearch domains are protected against accidental deletion (config allowUnprotected for throwaway stacks).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the bucket or key with `protect: true` (config vega-ha:protect); for a throwaway stack set allowUnprotected in policies/policy-config.json.",
  configSchema: {
    properties: {
      allowUnprotected: {
        type: "boolean",
        default: false,
        description:
          "Allow unprotected buckets, KMS keys and OpenSearch domains (throwaway stacks only).",
      },
    },
  },
  validateResource: (args, report) => {
    if (!STATEFUL_TYPES.includes(args.type)) return;
    if (args.getConfig<{ allowUnprotected?: boolean }>().allowUnprotected) return;
    if (!args.opts.protect) report(`${args.name} must be created with protect: true`);
  },
};

export const lifecycleRetentionReal: ResourceValidationPolicy = {
  name: "vega-s3-lifecycle-retention-real",
  description:
    "Every expiring lifecycle rule also removes noncurrent versions, and expired delete markers are cleaned up.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give every expiring lifecycle rule a noncurrentVersionExpiration, and keep a bucket-wide rule with expiredObjectDeleteMarker: true and abortIncompleteMultipartUpload.",
  validateResource: validateResourceOfType(
    aws.s3.BucketLifecycleConfiguration,
    (l, _args, report) => {
      // Stryker disable next-line ArrayDeclaration: with no rules the loop reports nothing either way, and the two checks below report the same
      const rules = l.rules ?? [];
      for (const rule of rules) {
        if (
          rule.expiration?.days !== undefined &&
          rule.noncurrentVersionExpiration?.noncurrentDays === undefined
        ) {
          report(`rule ${rule.id} expires current versions but keeps noncurrent ones forever`);
        }
      }
      if (!rules.some((r) => r.expiration?.expiredObjectDeleteMarker === true))
        report("no rule removes expired delete markers");
      if (!rules.some((r) => r.abortIncompleteMultipartUpload?.daysAfterInitiation !== undefined))
        report("no rule aborts incomplete multipart uploads");
    },
  ),
};

/** The prefix a lifecycle rule applies to ("" for the whole bucket). */
function rulePrefix(rule: {
  prefix?: string;
  filter?: { prefix?: string; and?: { prefix?: string } };
}): string {
  return rule.filter?.prefix ?? rule.filter?.and?.prefix ?? rule.prefix ?? "";
}

export const snapshotRepositoryNotExpiredByLifecycle: ResourceValidationPolicy = {
  name: "vega-snapshot-repository-not-expired-by-lifecycle",
  description:
    "No lifecycle rule of a backup vault expires current versions in an OpenSearch snapshot repository prefix: snapshots are incremental, only the snapshot policy may delete there.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove expiration.days/date from every vault lifecycle rule on, inside or above opensearch/snapshots/ and opensearch/delta/; keep only noncurrentVersionExpiration there and let the OpenSearch snapshot management policy's deletion.max_age enforce retention.",
  validateResource: validateResourceOfType(
    aws.s3.BucketLifecycleConfiguration,
    (l, args, report) => {
      if (!args.urn.includes(`${BACKUP_VAULT_TYPE}$`)) return;
      for (const rule of l.rules ?? []) {
        if (rule.status === "Disabled") continue;
        const expiresCurrent =
          rule.expiration?.days !== undefined || rule.expiration?.date !== undefined;
        if (!expiresCurrent) continue;
        const prefix = rulePrefix(rule);
        // A rule on a repository prefix, inside one, or above one (a parent or the whole bucket).
        const hit = SNAPSHOT_REPOSITORY_PREFIXES.filter(
          (repo) => repo.startsWith(prefix) || prefix.startsWith(repo),
        );
        if (hit.length > 0)
          report(
            `rule ${rule.id} expires current versions under snapshot repository ${hit.join(", ")}: the snapshot policy deletes there, by age it corrupts newer snapshots`,
          );
      }
    },
  ),
};

export const replicationEncrypted: ResourceValidationPolicy = {
  name: "vega-s3-replication-encrypted",
  description:
    "Replication copies SSE-KMS objects and re-encrypts them with a key of the destination region, with metrics on.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "In each replication rule enable sourceSelectionCriteria.sseKmsEncryptedObjects, set destination.encryptionConfiguration.replicaKmsKeyId to the DR vault's key and turn destination.metrics on.",
  validateResource: validateResourceOfType(aws.s3.BucketReplicationConfig, (c, _args, report) => {
    for (const rule of c.rules ?? []) {
      if (rule.sourceSelectionCriteria?.sseKmsEncryptedObjects?.status !== "Enabled")
        report(`rule ${rule.id}: SSE-KMS objects are not replicated`);
      if (!rule.destination?.encryptionConfiguration?.replicaKmsKeyId)
        report(`rule ${rule.id}: no replicaKmsKeyId`);
      if (rule.destination?.metrics?.status !== "Enabled")
        report(`rule ${rule.id}: replication metrics off (the alarms need them)`);
    }
  }),
};

/** Each bucket comes with versioning, encryption, public access block and lifecycle beside it. */
export const bucketComplete: StackValidationPolicy = {
  name: "vega-s3-bucket-complete",
  description:
    "Every S3 bucket has versioning, default encryption, a public access block, a TLS-only policy and lifecycle rules in its component.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create buckets through BackupVault (or the log bucket component), which adds versioning, encryption, public access block, TLS-only policy and lifecycle beside each bucket.",
  validateStack: (args, report) => {
    const required = [
      "aws:s3/bucketVersioning:BucketVersioning",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    ];
    for (const bucket of args.resources.filter((r) => r.type === "aws:s3/bucket:Bucket")) {
      const siblings = args.resources.filter(
        (r) => r.parent?.urn !== undefined && r.parent.urn === bucket.parent?.urn,
      );
      const missing = required.filter((t) => !siblings.some((s) => s.type === t));
      if (missing.length > 0)
        report(
          `bucket ${bucket.name} lacks ${missing.map((t) => t.split(":").pop()).join(", ")}`,
          bucket.urn,
        );
    }
  },
};

export const backupPolicies = [
  s3VersioningEnabled,
  s3EncryptedWithKms,
  s3PublicAccessBlocked,
  kmsKeyRotation,
  statefulProtected,
  lifecycleRetentionReal,
  snapshotRepositoryNotExpiredByLifecycle,
  replicationEncrypted,
  bucketComplete,
];
