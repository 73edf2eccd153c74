import * as aws from "@pulumi/aws";
import { beforeAll, describe, expect, it } from "vitest";
import {
  backupLifecycleRules,
  BackupVault,
  validateBackupVaultArgs,
} from "../../components/backup";
import { tlsOnlyBucketPolicy } from "../../components/core";
import { parseStackConfig } from "../../config";
import { minimalPrimary } from "../harness/config";
import { synth, type Synth } from "../harness";

const config = parseStackConfig(minimalPrimary());
const REGION = "eu-central-1";
let s: Synth;
let vault: { bucketName: string; bucketArn: string; kmsKeyArn: string };

beforeAll(async () => {
  s = await synth(() => {
    const provider = new aws.Provider("test-aws", { region: "us-east-1" });
    const v = new BackupVault(
      "vault",
      {
        region: REGION,
        retention: config.backup.retention,
        objectLock: config.backup.objectLock,
        protect: config.protect,
      },
      { provider },
    );
    return { bucketName: v.bucketName, bucketArn: v.bucketArn, kmsKeyArn: v.kmsKeyArn };
  });
  vault = s.outputs as typeof vault;
});

describe("BackupVault", () => {
  it("is a vega:backup:BackupVault whose children are named vault-<role> and parented to it", () => {
    const component = s.one("vega:backup:BackupVault", "vault");
    const children = s.childrenOf(component);
    expect(children.map((c) => c.name).sort()).toEqual(
      [
        "bucket",
        "encryption",
        "key",
        "key-alias",
        "lifecycle",
        "object-lock",
        "ownership",
        "policy",
        "public-access",
        "versioning",
      ]
        .map((r) => `vault-${r}`)
        .sort(),
    );
  });

  it("places every AWS child in the vault's region, not the provider's", () => {
    const aws = s.resources.filter((r) => r.type.startsWith("aws:"));
    expect(aws.length).toBeGreaterThan(0);
    expect(new Set(aws.map((r) => r.region))).toEqual(new Set([REGION]));
  });

  it("protects the bucket and its key, which rotates", () => {
    const key = s.one("aws:kms/key:Key");
    expect(key.protect).toBe(true);
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(s.one("aws:s3/bucket:Bucket").protect).toBe(true);
  });

  it("encrypts with its own key, blocks public access, versions, and denies non-TLS", () => {
    const sse = s.one(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ).inputs as any;
    expect(sse.rules[0].applyServerSideEncryptionByDefault).toEqual({
      sseAlgorithm: "aws:kms",
      kmsMasterKeyId: vault.kmsKeyArn,
    });
    expect(s.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      (s.one("aws:s3/bucketVersioning:BucketVersioning").inputs as any).versioningConfiguration,
    ).toEqual({ status: "Enabled" });
    const policy = JSON.parse(s.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy as string);
    expect(policy).toEqual(tlsOnlyBucketPolicy(vault.bucketArn));
  });

  it("applies the configured lifecycle rules to its own bucket", () => {
    const lifecycle = s.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
      .inputs as any;
    expect(lifecycle.bucket).toBe(vault.bucketName);
    expect(lifecycle.rules).toEqual(
      JSON.parse(JSON.stringify(backupLifecycleRules(config.backup.retention))),
    );
  });

  it("enables object lock at creation with the configured governance retention", () => {
    expect(s.one("aws:s3/bucket:Bucket").inputs.objectLockEnabled).toBe(true);
    const lock = s.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
      .inputs as any;
    expect(lock.rule.defaultRetention).toEqual({
      mode: config.backup.objectLock.mode,
      days: config.backup.objectLock.days,
    });
    // The S3 API's ObjectLockEnabled takes the single value "Enabled".
    expect(lock.objectLockEnabled).toBe("Enabled");
  });
});

describe("validateBackupVaultArgs", () => {
  it("throws at once when the lock would hold back the shortest retention", () => {
    const retention = config.backup.retention;
    expect(() =>
      validateBackupVaultArgs({
        region: REGION,
        retention,
        objectLock: { enabled: true, mode: "GOVERNANCE", days: retention.opensearchDeltaDays + 1 },
        protect: true,
      }),
    ).toThrow(/objectLock.days/);
    expect(() =>
      validateBackupVaultArgs({
        region: REGION,
        retention,
        objectLock: { enabled: false, mode: "GOVERNANCE", days: 99 },
        protect: true,
      }),
    ).not.toThrow();
  });
});

describe("BackupVault safety values", () => {
  const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

  it("never lets a destroy empty the bucket, and keeps ACLs off (bucket owner enforced)", () => {
    expect(s.one("aws:s3/bucket:Bucket").inputs.forceDestroy).toBe(false);
    expect(
      (s.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs as any).rule,
    ).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });

  it("has every lifecycle rule Enabled, and a bucket-wide one removing delete markers and unfinished uploads", () => {
    const rules = (s.one(LIFECYCLE).inputs as any).rules as any[];
    expect(rules.length).toBeGreaterThan(1);
    for (const rule of rules) expect(rule.status, rule.id).toBe("Enabled");
    const wide = rules.filter((r) => r.filter?.prefix === undefined);
    expect(wide).toEqual([
      expect.objectContaining({
        expiration: { expiredObjectDeleteMarker: true },
        abortIncompleteMultipartUpload: {
          daysAfterInitiation: config.backup.retention.incompleteUploadDays,
        },
      }),
    ]);
  });

  it("orders its children as S3 requires (dependsOn)", () => {
    const urn = (type: string) => s.one(type).urn;
    const versioning = urn("aws:s3/bucketVersioning:BucketVersioning");
    // Lifecycle rules and the lock configuration act on versions: after versioning is on.
    expect(s.one(LIFECYCLE).dependencies).toContain(versioning);
    expect(
      s.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").dependencies,
    ).toContain(versioning);
    // S3 refuses a bucket policy while the public access block is being put.
    expect(s.one("aws:s3/bucketPolicy:BucketPolicy").dependencies).toContain(
      urn("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
    );
  });

  it("without object lock: no lock configuration, and the bucket says so", async () => {
    const unlocked = await synth(() => {
      const provider = new aws.Provider("test-aws", { region: "us-east-1" });
      new BackupVault(
        "vault",
        {
          region: REGION,
          retention: config.backup.retention,
          objectLock: { ...config.backup.objectLock, enabled: false },
          protect: false,
        },
        { provider },
      );
    });
    expect(unlocked.one("aws:s3/bucket:Bucket").inputs.objectLockEnabled).toBe(false);
    expect(unlocked.one("aws:s3/bucket:Bucket").protect).toBe(false);
    expect(unlocked.one("aws:kms/key:Key").protect).toBe(false);
    expect(
      unlocked.ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"),
    ).toEqual([]);
  });
});
