import { beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_REPOSITORY_PREFIXES } from "../../components/backup";
import { ALL_POLICIES } from "../../policies/rules";
import { blocking, runPolicies } from "../../policies/runner";
import { POLICY_PREFIX } from "../../policies/rule";
import { synthDr, type RecordedResource, type Synth } from "../harness";

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
  it("has uniquely named rules with the project prefix and a description", () => {
    const names = ALL_POLICIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of ALL_POLICIES) {
      expect(p.name.startsWith(POLICY_PREFIX)).toBe(true);
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

  it("vega-stateful-protected can be relaxed by policy config", async () => {
    const resources = mutate("aws:s3/bucket:Bucket", "-backup-bucket", () => ({ protect: false }));
    const report = await runPolicies(resources, {
      "vega-stateful-protected": { allowUnprotected: true },
    });
    expect(report.violations).toEqual([]);
  });
});
