/** Mutations that prove the backup storage rules of backup.ts (see mutation.ts). */
import { LOAD_BALANCER_LOG_BUCKET_TYPE } from "../components/edge/access-logs";
import type { RecordedResource } from "../components/core/plan";
import {
  bucketComplete,
  kmsKeyRotation,
  lifecycleRetentionReal,
  replicationEncrypted,
  s3EncryptedWithKms,
  s3PublicAccessBlocked,
  s3VersioningEnabled,
  snapshotRepositoryNotExpiredByLifecycle,
  statefulProtected,
} from "./backup";
import {
  editInputs,
  editResource,
  inside,
  named,
  removeResource,
  type PolicyMutation,
} from "./mutation";

const inVault = (r: RecordedResource) => !inside(LOAD_BALANCER_LOG_BUCKET_TYPE)(r);
const VAULT_ENCRYPTION = {
  type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  where: inVault,
};
/** The backup vault's lifecycle configuration (not the load balancer's log bucket). */
export const VAULT_LIFECYCLE = {
  type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  where: inVault,
};

/** Adds an enabled rule on `prefix` that expires current versions after `days`. */
export const addExpiringRule = (id: string, prefix: string, days: number) =>
  editInputs(VAULT_LIFECYCLE, (p) => {
    p.rules.push({
      id,
      status: "Enabled",
      filter: { prefix },
      expiration: { days },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    });
  });
const REPLICATION = { type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig" };

const PUBLIC_ACCESS_SETTINGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

export const backupMutations: PolicyMutation[] = [
  {
    rule: s3VersioningEnabled,
    breaks: "the vault's versioning suspended",
    apply: editInputs(
      { type: "aws:s3/bucketVersioning:BucketVersioning", where: inVault },
      (p) => (p.versioningConfiguration.status = "Suspended"),
    ),
  },
  {
    rule: s3EncryptedWithKms,
    breaks: "the vault encrypted with SSE-S3",
    apply: editInputs(VAULT_ENCRYPTION, (p) => {
      p.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" };
    }),
  },
  {
    rule: s3EncryptedWithKms,
    breaks: "the vault's SSE-KMS without its key",
    apply: editInputs(VAULT_ENCRYPTION, (p) => {
      delete p.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
    }),
  },
  {
    rule: s3EncryptedWithKms,
    breaks: "the vault's encryption configuration without a rule",
    apply: editInputs(VAULT_ENCRYPTION, (p) => (p.rules = [])),
  },
  ...PUBLIC_ACCESS_SETTINGS.map((setting): PolicyMutation => ({
    rule: s3PublicAccessBlocked,
    breaks: `the vault's ${setting} off`,
    apply: editInputs(
      { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", where: inVault },
      (p) => (p[setting] = false),
    ),
  })),
  {
    rule: kmsKeyRotation,
    breaks: "the vault key's rotation off",
    apply: editInputs(
      { type: "aws:kms/key:Key", where: named("-backup-key") },
      (p) => (p.enableKeyRotation = false),
    ),
  },
  {
    rule: statefulProtected,
    breaks: "the vault bucket unprotected",
    apply: editResource({ type: "aws:s3/bucket:Bucket", where: named("-backup-bucket") }, () => ({
      protect: false,
    })),
  },
  {
    rule: statefulProtected,
    breaks: "the vault key unprotected",
    apply: editResource({ type: "aws:kms/key:Key", where: named("-backup-key") }, () => ({
      protect: false,
    })),
  },
  {
    rule: lifecycleRetentionReal,
    breaks: "an expiring prefix keeps its noncurrent versions forever",
    apply: editInputs(VAULT_LIFECYCLE, (p) => {
      delete p.rules.find((r: { expiration?: { days?: number } }) => r.expiration?.days)
        .noncurrentVersionExpiration;
    }),
  },
  {
    rule: lifecycleRetentionReal,
    breaks: "no rule removes expired delete markers",
    apply: editInputs(VAULT_LIFECYCLE, (p) => {
      for (const r of p.rules) delete r.expiration?.expiredObjectDeleteMarker;
    }),
  },
  {
    rule: lifecycleRetentionReal,
    breaks: "no rule aborts incomplete multipart uploads",
    apply: editInputs(VAULT_LIFECYCLE, (p) => {
      for (const r of p.rules) delete r.abortIncompleteMultipartUpload;
    }),
  },
  {
    rule: snapshotRepositoryNotExpiredByLifecycle,
    breaks: "the snapshot repository's rule expires current versions by age",
    apply: editInputs(VAULT_LIFECYCLE, (p) => {
      const repository = p.rules.find(
        (r: { filter?: { prefix?: string } }) => r.filter?.prefix === "opensearch/snapshots/",
      );
      repository.expiration = { days: 14 };
    }),
  },
  {
    rule: snapshotRepositoryNotExpiredByLifecycle,
    breaks: "a rule above the repositories (opensearch/) expires current versions by age",
    apply: addExpiringRule("expire-opensearch", "opensearch/", 30),
  },
  {
    rule: replicationEncrypted,
    breaks: "replication skips SSE-KMS objects",
    apply: editInputs(REPLICATION, (p) => {
      p.rules[0].sourceSelectionCriteria.sseKmsEncryptedObjects.status = "Disabled";
    }),
  },
  {
    rule: replicationEncrypted,
    breaks: "replicas not re-encrypted with the DR key",
    apply: editInputs(REPLICATION, (p) => {
      delete p.rules[0].destination.encryptionConfiguration;
    }),
  },
  {
    rule: replicationEncrypted,
    breaks: "replication metrics off",
    apply: editInputs(REPLICATION, (p) => (p.rules[0].destination.metrics.status = "Disabled")),
  },
  {
    rule: bucketComplete,
    breaks: "the vault without its TLS-only bucket policy",
    apply: removeResource({ type: "aws:s3/bucketPolicy:BucketPolicy", where: inVault }),
  },
  {
    rule: bucketComplete,
    breaks: "the log bucket without its versioning",
    apply: removeResource({
      type: "aws:s3/bucketVersioning:BucketVersioning",
      where: inside(LOAD_BALANCER_LOG_BUCKET_TYPE),
    }),
  },
];
