import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../config";
import {
  BACKUP_PREFIXES,
  backupLifecycleRules,
  effectiveRetentionDays,
  lifecycleRuleId,
  primaryToDrRule,
  SNAPSHOT_REPOSITORY_PREFIXES,
  versionGoneAfterDays,
  REPLICATION_TIME_MINUTES,
  objectLockReplicationProblem,
  OBJECT_LOCK_KEYS,
  replicationRolePolicy,
} from "../../components/backup";
import { tlsOnlyBucketPolicy } from "../../components/core";
import { cleanupRule } from "../../components/core/bucket";
import { minimalPrimary } from "../harness/config";
import { seedRetentionDays } from "../harness/seed";

const retention = parseStackConfig(minimalPrimary()).backup.retention;

describe("backupLifecycleRules", () => {
  const rules = backupLifecycleRules(retention);

  const ruleOf = (kind: keyof typeof BACKUP_PREFIXES) =>
    rules.find((r) => r.id === lifecycleRuleId(kind));

  it("expires the prefixes it owns after their seed 16.2 days and removes the noncurrent version after that", () => {
    const seed = seedRetentionDays();
    expect(BACKUP_PREFIXES.metadataDaily.expiredBy).toBe("lifecycle");
    expect(ruleOf("metadataDaily")).toMatchObject({
      status: "Enabled",
      filter: { prefix: BACKUP_PREFIXES.metadataDaily.prefix },
      expiration: { days: seed["逻辑备份 (pg_dump)"] },
      noncurrentVersionExpiration: { noncurrentDays: retention.noncurrentVersionDays },
    });
    for (const [kind, { prefix, retention: key, expiredBy }] of Object.entries(BACKUP_PREFIXES)) {
      if (expiredBy !== "lifecycle") continue;
      expect(ruleOf(kind as keyof typeof BACKUP_PREFIXES), prefix).toMatchObject({
        status: "Enabled",
        filter: { prefix },
        expiration: { days: retention[key] },
        noncurrentVersionExpiration: { noncurrentDays: retention.noncurrentVersionDays },
      });
    }
  });

  it("never expires current versions in a snapshot repository: only what the snapshot policy deleted goes", () => {
    const seed = seedRetentionDays();
    // The two repositories are the seed's snapshot rows, left to the snapshot policy.
    expect(SNAPSHOT_REPOSITORY_PREFIXES).toEqual([
      BACKUP_PREFIXES.opensearchSnapshots.prefix,
      BACKUP_PREFIXES.opensearchDelta.prefix,
    ]);
    expect(retention[BACKUP_PREFIXES.opensearchSnapshots.retention]).toBe(seed["快照 (Snapshot)"]);
    expect(retention[BACKUP_PREFIXES.opensearchDelta.retention]).toBe(seed["增量备份 (Delta)"]);
    for (const prefix of SNAPSHOT_REPOSITORY_PREFIXES) {
      const covering = rules.filter((r) => {
        const p = (r.filter as { prefix?: string }).prefix ?? "";
        return prefix.startsWith(p) || p.startsWith(prefix);
      });
      expect(covering.length, prefix).toBeGreaterThan(0);
      for (const rule of covering) {
        const expiration = rule.expiration as { days?: number; date?: string } | undefined;
        expect(expiration?.days, rule.id as string).toBeUndefined();
        expect(expiration?.date, rule.id as string).toBeUndefined();
      }
      expect(covering.find((r) => (r.filter as { prefix?: string }).prefix === prefix)).toEqual({
        id: expect.any(String),
        status: "Enabled",
        filter: { prefix },
        noncurrentVersionExpiration: { noncurrentDays: retention.noncurrentVersionDays },
      });
    }
  });

  it("cleans expired delete markers and unfinished uploads bucket-wide", () => {
    const cleanup = rules.filter((r) => JSON.stringify(r.filter) === "{}");
    expect(cleanup).toEqual([
      expect.objectContaining({
        expiration: { expiredObjectDeleteMarker: true },
        abortIncompleteMultipartUpload: { daysAfterInitiation: retention.incompleteUploadDays },
      }),
    ]);
  });

  it("follows config: a changed retention changes only its rule", () => {
    const changed = backupLifecycleRules({
      ...retention,
      metadataDailyDays: retention.metadataDailyDays + 5,
    });
    const differing = changed.filter((r, i) => JSON.stringify(r) !== JSON.stringify(rules[i]));
    expect(differing.map((r) => r.id)).toEqual([lifecycleRuleId("metadataDaily")]);
  });

  it("has unique rule ids (S3 rejects duplicates)", () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it("names a rule by what it removes and its prefix, readable in the console (ids are deployed state)", () => {
    expect(lifecycleRuleId("metadataDaily")).toBe("expire-metadata-daily");
    expect(lifecycleRuleId("opensearchDelta")).toBe("noncurrent-opensearch-delta");
  });
});

describe("effectiveRetentionDays", () => {
  it("is expiry plus the noncurrent window, never shorter than the lock", () => {
    expect(effectiveRetentionDays(retention, "metadataDaily", 3)).toBe(
      retention.metadataDailyDays + retention.noncurrentVersionDays,
    );
    expect(effectiveRetentionDays(retention, "opensearchDelta", 60)).toBe(60);
  });

  it("for a repository: the snapshot policy's max_age (same key) plus the noncurrent window", () => {
    const seed = seedRetentionDays();
    expect(effectiveRetentionDays(retention, "opensearchSnapshots", undefined)).toBe(
      seed["快照 (Snapshot)"]! + retention.noncurrentVersionDays,
    );
    expect(
      effectiveRetentionDays(retention, "opensearchDelta", retention.opensearchDeltaDays),
    ).toBe(versionGoneAfterDays(seed["增量备份 (Delta)"]!, retention.noncurrentVersionDays, 0));
  });
});

describe("policy documents", () => {
  it("denies non-TLS and pre-1.2 TLS access to the bucket and its objects", () => {
    const doc = tlsOnlyBucketPolicy("arn:aws:s3:::b");
    expect(doc.Statement.every((s) => s.Effect === "Deny" && s.Principal === "*")).toBe(true);
    expect(doc.Statement[0]!.Resource).toEqual(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]);
    expect(doc.Statement.map((s) => s.Condition)).toEqual([
      { Bool: { "aws:SecureTransport": "false" } },
      { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    ]);
    // Every S3 action, in the current policy language (2008-10-17 lacks condition features).
    expect(doc.Version).toBe("2012-10-17");
    expect(doc.Statement.map((s) => s.Action)).toEqual(["s3:*", "s3:*"]);
  });

  it("gives the bucket-wide cleanup rule an id, which the provider requires (1 to 255 characters)", () => {
    expect(cleanupRule(7).id).toMatch(/^\S.{0,254}$/);
    expect(cleanupRule(7)).toMatchObject({
      status: "Enabled",
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    });
  });

  it("scopes the replication role to the two buckets and keys, each through S3 of its own region", () => {
    const ends = {
      source: {
        region: "us-east-1",
        bucketArn: "arn:aws:s3:::src",
        kmsKeyArn: "arn:aws:kms:us-east-1:1:key/a",
      },
      destination: {
        region: "us-west-2",
        bucketArn: "arn:aws:s3:::dst",
        kmsKeyArn: "arn:aws:kms:us-west-2:1:key/b",
      },
    };
    const doc = replicationRolePolicy(ends);
    const resources = doc.Statement.flatMap((s) => [s.Resource].flat());
    expect(new Set(resources)).toEqual(
      new Set([
        "arn:aws:s3:::src",
        "arn:aws:s3:::src/*",
        "arn:aws:s3:::dst/*",
        ends.source.kmsKeyArn,
        ends.destination.kmsKeyArn,
      ]),
    );
    const decrypt = doc.Statement.find((s) => s.Action === "kms:Decrypt")!;
    expect(decrypt.Condition!.StringEquals).toEqual({
      "kms:ViaService": "s3.us-east-1.amazonaws.com",
    });
    const encrypt = doc.Statement.find((s) => s.Sid === "EncryptReplicas")!;
    expect(encrypt.Condition!.StringEquals).toEqual({
      "kms:ViaService": "s3.us-west-2.amazonaws.com",
    });
    expect(JSON.stringify(doc)).not.toContain('"*"');
  });
});

describe("primaryToDrRule", () => {
  const args = {
    enabled: true,
    destinationBucketArn: "arn:aws:s3:::dst",
    destinationKmsKeyArn: "arn:aws:kms:us-west-2:1:key/b",
    replicationTimeControl: true,
    deleteMarkerReplication: false,
  };

  it("replicates KMS objects re-encrypted with the DR key, with RTC and metrics", () => {
    const rule = primaryToDrRule(args);
    expect(rule.sourceSelectionCriteria).toEqual({ sseKmsEncryptedObjects: { status: "Enabled" } });
    expect(rule.destination).toMatchObject({
      bucket: args.destinationBucketArn,
      encryptionConfiguration: { replicaKmsKeyId: args.destinationKmsKeyArn },
      replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } },
      metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } },
    });
    expect(rule.deleteMarkerReplication).toEqual({ status: "Disabled" });
  });

  it("drops RTC but keeps metrics when RTC is off; replicates delete markers when asked", () => {
    const rule = primaryToDrRule({
      ...args,
      replicationTimeControl: false,
      deleteMarkerReplication: true,
    });
    expect(rule.destination).not.toHaveProperty("replicationTime");
    // S3 refuses an event threshold without ReplicationTime (InvalidArgument).
    expect((rule.destination as any).metrics).toEqual({ status: "Enabled" });
    expect(rule.deleteMarkerReplication).toEqual({ status: "Enabled" });
  });

  it("sends the metrics' event threshold exactly when RTC is on, in every combination", () => {
    for (const replicationTimeControl of [true, false]) {
      for (const deleteMarkerReplication of [true, false]) {
        const d = primaryToDrRule({ ...args, replicationTimeControl, deleteMarkerReplication })
          .destination as any;
        expect(d.metrics.eventThreshold !== undefined).toBe(d.replicationTime !== undefined);
        expect(d.replicationTime !== undefined).toBe(replicationTimeControl);
      }
    }
  });

  it("is the rule the replication alarms name, writing replicas in S3 Standard", () => {
    // S3 reports replication metrics per rule id: a rename would start the alarms on new series.
    expect(primaryToDrRule(args).id).toBe("primary-to-dr");
    expect((primaryToDrRule(args).destination as any).storageClass).toBe("STANDARD");
  });

  it("keeps the rule, Disabled, when replication is switched off", () => {
    expect(primaryToDrRule(args).status).toBe("Enabled");
    expect(primaryToDrRule({ ...args, enabled: false }).status).toBe("Disabled");
  });
});

describe("objectLockReplicationProblem", () => {
  it("refuses a locked source into an unlocked destination, naming both keys", () => {
    const problem = objectLockReplicationProblem(true, false, "acme/vega-ha/primary");
    expect(problem).toContain(OBJECT_LOCK_KEYS.destination);
    expect(problem).toContain(OBJECT_LOCK_KEYS.sourceOutput);
    expect(problem).toContain("acme/vega-ha/primary");
    expect(problem).toContain("DstBucketObjectLockConfigMissing");
  });

  it("asks for the primary to be deployed first when it does not export its lock setting", () => {
    expect(objectLockReplicationProblem(undefined, false)).toBe(
      "vega-ha:backup.objectLock.enabled is false here, and the primary stack does not export " +
        "backup.objectLockEnabled yet, so replication into an unlocked vault cannot be checked: " +
        "deploy (pulumi up) the primary stack first",
    );
  });

  it("says why, and what to set, word for word", () => {
    expect(objectLockReplicationProblem(true, false)).toBe(
      "vega-ha:backup.objectLock.enabled is false here but the primary stack exports " +
        "backup.objectLockEnabled: true: S3 cannot replicate locked versions into a vault without " +
        "Object Lock (every object would fail with DstBucketObjectLockConfigMissing). Object Lock " +
        "is set when a bucket is created and cannot be switched off: set " +
        "vega-ha:backup.objectLock.enabled: true for a DR vault created with it",
    );
  });

  it("accepts every other combination", () => {
    for (const source of [true, false, undefined])
      expect(objectLockReplicationProblem(source, true)).toBeUndefined();
    expect(objectLockReplicationProblem(false, false)).toBeUndefined();
  });
});
