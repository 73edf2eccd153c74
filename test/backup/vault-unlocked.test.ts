import { beforeAll, describe, expect, it } from "vitest";
import { BackupVault } from "../../components/backup";
import { parseStackConfig } from "../../config";
import { minimalPrimary } from "../harness/config";
import { synth, type Synth } from "../harness";

let s: Synth;
beforeAll(async () => {
  const config = parseStackConfig({
    ...minimalPrimary(),
    protect: false,
    backup: { objectLock: { enabled: false } },
  });
  s = await synth(() => {
    new BackupVault("vault", {
      region: "us-east-1",
      retention: config.backup.retention,
      objectLock: config.backup.objectLock,
      protect: config.protect,
    });
  });
});

describe("BackupVault without object lock and protection", () => {
  it("creates no lock configuration and leaves the bucket unlocked", () => {
    expect(
      s.ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"),
    ).toHaveLength(0);
    expect(s.one("aws:s3/bucket:Bucket").inputs.objectLockEnabled).toBe(false);
  });

  it("honours protect: false for throwaway stacks", () => {
    expect(s.one("aws:s3/bucket:Bucket").protect).toBe(false);
    expect(s.one("aws:kms/key:Key").protect).toBe(false);
  });
});
