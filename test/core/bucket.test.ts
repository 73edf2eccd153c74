/**
 * hardenedBucket (components/core/bucket.ts) synthesised on its own, once with a KMS key and once
 * with SSE-S3: what every bucket of the project gets, and what differs between the two.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanupRule, hardenedBucket } from "../../components/core/bucket";
import { ownKey } from "../../components/core/kms";
import { synth, type Synth } from "../harness";

const ENCRYPTION =
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const synthBucket = (encryption: Parameters<typeof hardenedBucket>[1]["encryption"]) =>
  synth(() => {
    const parent = new pulumi.ComponentResource("test:index:Owner", "owner");
    hardenedBucket(
      "owner-logs",
      { region: "eu-west-1", encryption, lifecycleRules: [cleanupRule(7)], protect: true },
      parent,
    );
  });

let kms: Synth;
let sseS3: Synth;
beforeAll(async () => {
  kms = await synthBucket({
    sseAlgorithm: "aws:kms",
    kmsMasterKeyId: "arn:aws:kms:eu-west-1:1:key/k",
  });
  sseS3 = await synthBucket({ sseAlgorithm: "AES256" });
});

describe("hardenedBucket", () => {
  it("turns S3 Bucket Keys on with a KMS key only (they cut KMS requests; SSE-S3 has none)", () => {
    expect((kms.one(ENCRYPTION).inputs.rules as object[])[0]).toEqual({
      applyServerSideEncryptionByDefault: {
        sseAlgorithm: "aws:kms",
        kmsMasterKeyId: "arn:aws:kms:eu-west-1:1:key/k",
      },
      bucketKeyEnabled: true,
    });
    expect((sseS3.one(ENCRYPTION).inputs.rules as object[])[0]).toEqual({
      applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
    });
  });

  it("makes every child in the bucket's region, under its owner, and protects the bucket alone", () => {
    const owner = sseS3.one("test:index:Owner");
    expect(sseS3.childRoles(owner)).toEqual(
      [
        "bucket",
        "encryption",
        "lifecycle",
        "ownership",
        "policy",
        "public-access",
        "versioning",
      ].map((role) => `logs-${role}`),
    );
    for (const child of sseS3.childrenOf(owner)) {
      expect(child.region, child.name).toBe("eu-west-1");
      expect(child.protect, child.name).toBe(child.name === "owner-logs-bucket");
    }
    expect(sseS3.one("aws:s3/bucket:Bucket").inputs).toMatchObject({ forceDestroy: false });
    expect(sseS3.one("aws:s3/bucket:Bucket").inputs).not.toHaveProperty("objectLockEnabled");
  });
});

describe("ownKey", () => {
  it("rotates, waits 30 days before deletion, and is named alias/<owner> (AWS requires the prefix)", async () => {
    const s = await synth(() => {
      const parent = new pulumi.ComponentResource("test:index:Owner", "owner");
      ownKey("owner-db", { region: "eu-west-1", description: "d" }, { parent, protect: true });
    });
    const key = s.one("aws:kms/key:Key");
    expect(key).toMatchObject({ name: "owner-db-key", protect: true, region: "eu-west-1" });
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const alias = s.one("aws:kms/alias:Alias");
    expect(alias).toMatchObject({ name: "owner-db-key-alias", region: "eu-west-1" });
    expect(alias.inputs.name).toBe("alias/owner-db");
    expect(alias.dependencies).toContain(key.urn);
  });
});
