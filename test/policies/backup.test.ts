import { beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_REPOSITORY_PREFIXES } from "../../components/backup";
import { ALL_POLICIES } from "../../policies/rules";
import { blocking, runPolicies } from "../../policies/runner";
import {
  bucketComplete,
  replicationEncrypted,
  snapshotRepositoryNotExpiredByLifecycle,
} from "../../policies/backup";
import { synthDr, type RecordedResource, type Synth } from "../harness";
import { recordedResource } from "../harness/records";

let dr: Synth;
beforeAll(async () => {
  dr = await synthDr();
});

/** The DR stack's resources with one resource's inputs or options changed. */
function mutate(
  type: string,
  nameSuffix: string,
  change: (r: RecordedResource) => Partial<RecordedResource>,
): RecordedResource[] {
  const target = dr.one(type, nameSuffix);
  return dr.resources.map((r) =>
    r.urn === target.urn ? { ...structuredClone(r), ...change(structuredClone(r)) } : r,
  );
}

const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

/** A change that rewrites a lifecycle configuration's rules. */
const withRules =
  (change: (rules: any[]) => any[]) =>
  (r: RecordedResource): Partial<RecordedResource> => ({
    plainInputs: { ...r.plainInputs, rules: change(r.plainInputs.rules as any[]) },
  });

async function violationsOf(resources: RecordedResource[]) {
  return [...new Set((await runPolicies(resources)).violations.map((v) => v.policy))];
}

describe("the policy pack", () => {
  // One prefix, so a report line says where it came from; kebab-case, as the engine shows names.
  it("has uniquely named rules with the project prefix and a description", () => {
    const names = ALL_POLICIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of ALL_POLICIES) {
      expect(p.name).toMatch(/^vega-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.description.length).toBeGreaterThan(10);
    }
  });

  it("passes on the DR stack as synthesised", async () => {
    expect(blocking(await runPolicies(dr.resources))).toEqual([]);
  });
});

describe("each backup rule catches what it guards", () => {
  // [rule, type, name suffix of the vault's resource, the change that breaks the rule]
  const cases: [string, string, string, (r: RecordedResource) => Partial<RecordedResource>][] = [
    [
      "vega-s3-versioning-enabled",
      "aws:s3/bucketVersioning:BucketVersioning",
      "-backup-versioning",
      (r) => ({
        plainInputs: { ...r.plainInputs, versioningConfiguration: { status: "Suspended" } },
      }),
    ],
    [
      "vega-s3-sse-kms",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "-backup-encryption",
      (r) => ({
        plainInputs: {
          ...r.plainInputs,
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        },
      }),
    ],
    [
      "vega-s3-public-access-blocked",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "-backup-public-access",
      (r) => ({ plainInputs: { ...r.plainInputs, restrictPublicBuckets: false } }),
    ],
    [
      "vega-kms-key-rotation",
      "aws:kms/key:Key",
      "-backup-key",
      (r) => ({ plainInputs: { ...r.plainInputs, enableKeyRotation: false } }),
    ],
    [
      "vega-stateful-protected",
      "aws:s3/bucket:Bucket",
      "-backup-bucket",
      () => ({ protect: false }),
    ],
    [
      "vega-s3-lifecycle-retention-real",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "-backup-lifecycle",
      (r) => ({
        plainInputs: {
          ...r.plainInputs,
          rules: (r.plainInputs.rules as any[]).map(
            ({ noncurrentVersionExpiration: _n, ...rule }) => rule,
          ),
        },
      }),
    ],
    [
      "vega-snapshot-repository-not-expired-by-lifecycle",
      LIFECYCLE,
      "-backup-lifecycle",
      // The old defect: the repository prefixes expire their current versions by age.
      withRules((rules) =>
        rules.map((rule) =>
          SNAPSHOT_REPOSITORY_PREFIXES.includes(rule.filter?.prefix)
            ? { ...rule, expiration: { days: 14 } }
            : rule,
        ),
      ),
    ],
    [
      "vega-snapshot-repository-not-expired-by-lifecycle",
      LIFECYCLE,
      "-backup-lifecycle",
      // A rule above the repositories (opensearch/) expiring by age reaches into them too.
      withRules((rules) => [
        ...rules,
        {
          id: "expire-opensearch",
          status: "Enabled",
          filter: { prefix: "opensearch/" },
          expiration: { days: 30 },
          noncurrentVersionExpiration: { noncurrentDays: 1 },
        },
      ]),
    ],
    [
      "vega-s3-replication-encrypted",
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      "-replication-config",
      (r) => ({
        plainInputs: {
          ...r.plainInputs,
          rules: (r.plainInputs.rules as any[]).map((rule) => ({
            ...rule,
            sourceSelectionCriteria: undefined,
          })),
        },
      }),
    ],
    [
      "vega-explicit-aws-provider",
      "aws:kms/alias:Alias",
      "-backup-key-alias",
      (r) => ({ provider: r.provider!.replace(/::[^:]+$/, "::default_7_48_0") }),
    ],
    [
      "vega-aws-default-tags",
      "pulumi:providers:aws",
      "-aws",
      (r) => ({
        plainInputs: {
          ...r.plainInputs,
          defaultTags: JSON.stringify({ tags: { service: "vega" } }),
        },
      }),
    ],
  ];

  it.each(cases)("%s", async (policy, type, nameSuffix, change) => {
    expect(await violationsOf(mutate(type, nameSuffix, change))).toEqual([policy]);
  });

  it("vega-s3-bucket-complete: a bucket without its lifecycle is reported", async () => {
    const lifecycle = dr.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "-backup-lifecycle",
    );
    const without = dr.resources.filter((r) => r.urn !== lifecycle.urn);
    expect(await violationsOf(without)).toEqual(["vega-s3-bucket-complete"]);
  });

  it("vega-snapshot-repository-not-expired-by-lifecycle: repository prefixes without current-version expiry pass, the other prefixes may expire", async () => {
    const lifecycle = dr.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "-backup-lifecycle",
    );
    const rules = lifecycle.plainInputs.rules as any[];
    expect(rules.some((r) => r.expiration?.days !== undefined)).toBe(true);
    for (const prefix of SNAPSHOT_REPOSITORY_PREFIXES)
      expect(rules.find((r) => r.filter?.prefix === prefix)?.expiration).toBeUndefined();
    expect(await violationsOf(dr.resources)).toEqual([]);
  });

  it("vega-snapshot-repository-not-expired-by-lifecycle: says which rule reaches which repositories; other buckets' lifecycles are not its business", async () => {
    const lifecycle = dr.one(LIFECYCLE, "-backup-lifecycle");
    const wholeBucket = {
      id: "expire-all",
      status: "Enabled",
      filter: {},
      expiration: { days: 30 },
    };
    const report = await runPolicies(
      mutate(
        LIFECYCLE,
        "-backup-lifecycle",
        withRules((rules) => [...rules, wholeBucket]),
      ),
      {},
      [snapshotRepositoryNotExpiredByLifecycle],
    );
    expect(report.violations.map((v) => [v.urn, v.message])).toEqual([
      [
        lifecycle.urn,
        `rule expire-all expires current versions under snapshot repository ${SNAPSHOT_REPOSITORY_PREFIXES.join(", ")}: the snapshot policy deletes there, by age it corrupts newer snapshots`,
      ],
    ]);
    // The same rule on a bucket that is no backup vault (access logs, say) holds no repository.
    const logs = recordedResource(LIFECYCLE, "access-logs-lifecycle", { rules: [wholeBucket] });
    expect(
      (await runPolicies([logs], {}, [snapshotRepositoryNotExpiredByLifecycle])).violations,
    ).toEqual([]);
  });

  it("vega-s3-replication-encrypted: a bare rule gets each missing piece named, without a crash", async () => {
    const bare = recordedResource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "rep", {
      rules: [{ id: "to-dr" }, { id: "half", destination: {}, sourceSelectionCriteria: {} }],
    });
    const report = await runPolicies([bare], {}, [replicationEncrypted]);
    expect(report.violations.map((v) => v.message)).toEqual(
      ["to-dr", "half"].flatMap((id) => [
        `rule ${id}: SSE-KMS objects are not replicated`,
        `rule ${id}: no replicaKmsKeyId`,
        `rule ${id}: replication metrics off (the alarms need them)`,
      ]),
    );
  });

  it("vega-s3-bucket-complete: a bucket's pieces are its own siblings, not another bucket's", async () => {
    const pieces = [
      "aws:s3/bucketVersioning:BucketVersioning",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    ];
    const vault = "urn:pulumi:test::vega-ha::vega:backup:BackupVault::complete";
    const other = recordedResource("vega:edge:Edge", "other", {}, { custom: false });
    const complete = [
      recordedResource("vega:backup:BackupVault", "complete", {}, { custom: false }),
      recordedResource("aws:s3/bucket:Bucket", "complete-bucket", {}, { parent: vault }),
      ...pieces.map((t, i) => recordedResource(t, `piece-${i}`, {}, { parent: vault })),
    ];
    const bare = recordedResource("aws:s3/bucket:Bucket", "bare", {}, { parent: other.urn });
    const orphan = recordedResource("aws:s3/bucket:Bucket", "orphan", {});
    const report = await runPolicies([...complete, other, bare, orphan], {}, [bucketComplete]);
    const lacks =
      "BucketVersioning, BucketServerSideEncryptionConfiguration, BucketPublicAccessBlock, BucketPolicy, BucketLifecycleConfiguration";
    expect(report.violations.map((v) => [v.urn, v.message])).toEqual([
      [bare.urn, `bucket bare lacks ${lacks}`],
      [orphan.urn, `bucket orphan lacks ${lacks}`],
    ]);
  });

  it("vega-stateful-protected can be relaxed by policy config", async () => {
    const resources = mutate("aws:s3/bucket:Bucket", "-backup-bucket", () => ({ protect: false }));
    const report = await runPolicies(resources, {
      "vega-stateful-protected": { allowUnprotected: true },
    });
    expect(report.violations).toEqual([]);
  });
});

/**
 * Each condition of a backup rule broken on its own (the cases above break each rule one way):
 * a rule whose other conditions could be deleted would let these through.
 */
describe("each condition of the backup rules, on its own", () => {
  const BUCKET_SSE =
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
  const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
  const withReplicationRules =
    (change: (rule: any) => any) =>
    (r: RecordedResource): Partial<RecordedResource> => ({
      plainInputs: { ...r.plainInputs, rules: (r.plainInputs.rules as any[]).map(change) },
    });
  /** A rule expiring current versions after 30 days, with noncurrent expiry (retention-real). */
  const expiring = (extra: object) => ({
    id: "expire-extra",
    status: "Enabled",
    expiration: { days: 30 },
    noncurrentVersionExpiration: { noncurrentDays: 1 },
    ...extra,
  });
  const [repository] = SNAPSHOT_REPOSITORY_PREFIXES;

  const cases: [
    string,
    string,
    string,
    string,
    (r: RecordedResource) => Partial<RecordedResource>,
  ][] = [
    [
      "aws:kms without a key",
      "vega-s3-sse-kms",
      BUCKET_SSE,
      "-backup-encryption",
      (r) => ({
        plainInputs: {
          ...r.plainInputs,
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
        },
      }),
    ],
    [
      "no encryption rule at all",
      "vega-s3-sse-kms",
      BUCKET_SSE,
      "-backup-encryption",
      (r) => ({ plainInputs: { ...r.plainInputs, rules: [] } }),
    ],
    ...(
      ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const
    ).map(
      (
        key,
      ): [string, string, string, string, (r: RecordedResource) => Partial<RecordedResource>] => [
        `${key} off`,
        "vega-s3-public-access-blocked",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "-backup-public-access",
        (r) => ({ plainInputs: { ...r.plainInputs, [key]: false } }),
      ],
    ),
    [
      "no rule removes expired delete markers",
      "vega-s3-lifecycle-retention-real",
      LIFECYCLE,
      "-backup-lifecycle",
      withRules((rules) =>
        rules.map((rule) =>
          rule.expiration?.expiredObjectDeleteMarker
            ? { ...rule, expiration: { ...rule.expiration, expiredObjectDeleteMarker: false } }
            : rule,
        ),
      ),
    ],
    [
      "no rule aborts incomplete multipart uploads",
      "vega-s3-lifecycle-retention-real",
      LIFECYCLE,
      "-backup-lifecycle",
      withRules((rules) => rules.map(({ abortIncompleteMultipartUpload: _a, ...rule }) => rule)),
    ],
    [
      "a repository prefix expired by date",
      "vega-snapshot-repository-not-expired-by-lifecycle",
      LIFECYCLE,
      "-backup-lifecycle",
      withRules((rules) => [
        ...rules,
        { ...expiring({ filter: { prefix: repository } }), expiration: { date: "2030-01-01" } },
      ]),
    ],
    [
      "a repository prefix in an `and` filter",
      "vega-snapshot-repository-not-expired-by-lifecycle",
      LIFECYCLE,
      "-backup-lifecycle",
      withRules((rules) => [...rules, expiring({ filter: { and: { prefix: repository } } })]),
    ],
    [
      "a repository prefix in the legacy rule-level prefix",
      "vega-snapshot-repository-not-expired-by-lifecycle",
      LIFECYCLE,
      "-backup-lifecycle",
      withRules((rules) => [...rules, expiring({ prefix: repository })]),
    ],
    [
      "a whole-bucket rule expiring current versions",
      "vega-snapshot-repository-not-expired-by-lifecycle",
      LIFECYCLE,
      "-backup-lifecycle",
      withRules((rules) => [...rules, expiring({ filter: {} })]),
    ],
    [
      "a rule inside a repository prefix",
      "vega-snapshot-repository-not-expired-by-lifecycle",
      LIFECYCLE,
      "-backup-lifecycle",
      withRules((rules) => [...rules, expiring({ filter: { prefix: `${repository}indices/` } })]),
    ],
    [
      "replication without the DR key",
      "vega-s3-replication-encrypted",
      REPLICATION,
      "-replication-config",
      withReplicationRules((rule) => ({
        ...rule,
        destination: { ...rule.destination, encryptionConfiguration: {} },
      })),
    ],
    [
      "replication metrics off",
      "vega-s3-replication-encrypted",
      REPLICATION,
      "-replication-config",
      withReplicationRules((rule) => ({
        ...rule,
        destination: { ...rule.destination, metrics: { status: "Disabled" } },
      })),
    ],
    [
      "a KMS key created without protect",
      "vega-stateful-protected",
      "aws:kms/key:Key",
      "-backup-key",
      () => ({ protect: false }),
    ],
    [
      "a resource with no provider at all",
      "vega-explicit-aws-provider",
      "aws:kms/alias:Alias",
      "-backup-key-alias",
      () => ({ provider: undefined }),
    ],
  ];

  it.each(cases)("%s: %s", async (_what, policy, type, nameSuffix, change) => {
    expect(await violationsOf(mutate(type, nameSuffix, change))).toEqual([policy]);
  });

  it.each([
    [
      "SSE-S3 even with a key id",
      {
        rules: [
          { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256", kmsMasterKeyId: "k" } },
        ],
      },
      ["default encryption must be aws:kms with a kmsMasterKeyId"],
    ],
    [
      "a rule with no default encryption",
      { rules: [{ bucketKeyEnabled: true }] },
      ["default encryption must be aws:kms with a kmsMasterKeyId"],
    ],
    ["no rules given", { rules: undefined }, ["no encryption rule"]],
  ])("vega-s3-sse-kms: %s is reported, saying why", async (_what, inputs, messages) => {
    const resources = mutate(BUCKET_SSE, "-backup-encryption", (r) => ({
      plainInputs: { ...r.plainInputs, ...inputs },
    }));
    const report = await runPolicies(resources);
    expect(report.violations.map((v) => [v.policy, v.message])).toEqual(
      messages.map((m) => ["vega-s3-sse-kms", m]),
    );
  });

  it("names what is off, so the message is the remedy's first step", async () => {
    const messages = async (
      type: string,
      suffix: string,
      change: (r: RecordedResource) => Partial<RecordedResource>,
    ) => (await runPolicies(mutate(type, suffix, change))).violations.map((v) => v.message);
    expect(
      await messages(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "-backup-public-access",
        (r) => ({
          plainInputs: { ...r.plainInputs, blockPublicAcls: false, restrictPublicBuckets: false },
        }),
      ),
    ).toEqual(["public access block settings off: blockPublicAcls, restrictPublicBuckets"]);
    expect(
      await messages("aws:s3/bucketVersioning:BucketVersioning", "-backup-versioning", (r) => ({
        plainInputs: { ...r.plainInputs, versioningConfiguration: { status: "Suspended" } },
      })),
    ).toEqual(["versioning must be Enabled"]);
    expect(
      await messages("aws:kms/key:Key", "-backup-key", (r) => ({
        plainInputs: { ...r.plainInputs, enableKeyRotation: false },
      })),
    ).toEqual(["enableKeyRotation must be true"]);
    expect(
      await messages(
        LIFECYCLE,
        "-backup-lifecycle",
        withRules(() => [
          {
            id: "short",
            status: "Enabled",
            // A prefix no seed retention covers: only the lifecycle rule's own conditions speak.
            filter: { prefix: "scratch/" },
            expiration: { days: 5 },
          },
        ]),
      ),
    ).toEqual([
      "rule short expires current versions but keeps noncurrent ones forever",
      "no rule removes expired delete markers",
      "no rule aborts incomplete multipart uploads",
    ]);
  });

  it("a Disabled rule may expire a repository prefix (S3 does not apply it)", async () => {
    const resources = mutate(
      LIFECYCLE,
      "-backup-lifecycle",
      withRules((rules) => [
        ...rules,
        expiring({ status: "Disabled", filter: { prefix: repository } }),
      ]),
    );
    expect(await violationsOf(resources)).toEqual([]);
  });

  it.each([
    "aws:s3/bucketVersioning:BucketVersioning",
    BUCKET_SSE,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketPolicy:BucketPolicy",
  ])("vega-s3-bucket-complete: a vault bucket without its %s is reported", async (type) => {
    const vault = dr.one("aws:s3/bucket:Bucket", "-backup-bucket");
    const sibling = dr.ofType(type).find((r) => r.parent === vault.parent)!;
    const report = await runPolicies(dr.resources.filter((r) => r.urn !== sibling.urn));
    const complete = report.violations.filter((v) => v.policy === "vega-s3-bucket-complete");
    expect(complete.map((v) => v.message)).toEqual([
      expect.stringContaining(type.split(":").pop()!),
    ]);
  });
});
