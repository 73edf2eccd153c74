import { beforeAll, describe, expect, it } from "vitest";
import { ALL_POLICIES } from "../../policies/rules";
import { blocking, runPolicies } from "../../policies/runner";
import { POLICY_PREFIX } from "../../policies/rule";
import { synthDr, type RecordedResource, type Synth } from "../harness";

let dr: Synth;
beforeAll(async () => {
  dr = await synthDr();
});

/** The DR stack's resources with one resource's inputs or options changed. */
function mutate(type: string, change: (r: RecordedResource) => Partial<RecordedResource>): RecordedResource[] {
  // The observability area has a KMS key of its own (alert topic): mutate the backup's.
  const [target, ...others] = dr.ofType(type).filter((r) => !r.name.includes("-observability-"));
  if (!target || others.length > 0) throw new Error(`expected one ${type} outside observability`);
  return dr.resources.map((r) => (r.urn === target.urn ? { ...structuredClone(r), ...change(structuredClone(r)) } : r));
}

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
  const cases: [string, string, (r: RecordedResource) => Partial<RecordedResource>][] = [
    ["vega-s3-versioning-enabled", "aws:s3/bucketVersioning:BucketVersioning", (r) => ({ inputs: { ...r.inputs, versioningConfiguration: { status: "Suspended" } } })],
    ["vega-s3-sse-kms", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", (r) => ({ inputs: { ...r.inputs, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } })],
    ["vega-s3-public-access-blocked", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", (r) => ({ inputs: { ...r.inputs, restrictPublicBuckets: false } })],
    ["vega-kms-key-rotation", "aws:kms/key:Key", (r) => ({ inputs: { ...r.inputs, enableKeyRotation: false } })],
    ["vega-stateful-protected", "aws:s3/bucket:Bucket", () => ({ protect: false })],
    ["vega-s3-lifecycle-retention-real", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", (r) => ({ inputs: { ...r.inputs, rules: (r.inputs.rules as any[]).map(({ noncurrentVersionExpiration: _n, ...rule }) => rule) } })],
    ["vega-s3-replication-encrypted", "aws:s3/bucketReplicationConfig:BucketReplicationConfig", (r) => ({ inputs: { ...r.inputs, rules: (r.inputs.rules as any[]).map((rule) => ({ ...rule, sourceSelectionCriteria: undefined })) } })],
    ["vega-explicit-aws-provider", "aws:kms/alias:Alias", (r) => ({ provider: r.provider!.replace(/::[^:]+$/, "::default_7_48_0") })],
    ["vega-aws-default-tags", "pulumi:providers:aws", (r) => ({ inputs: { ...r.inputs, defaultTags: JSON.stringify({ tags: { service: "vega" } }) } })],
  ];

  it.each(cases)("%s", async (policy, type, change) => {
    expect(await violationsOf(mutate(type, change))).toEqual([policy]);
  });

  it("vega-s3-bucket-complete: a bucket without its lifecycle is reported", async () => {
    const lifecycle = dr.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
    const without = dr.resources.filter((r) => r.urn !== lifecycle.urn);
    expect(await violationsOf(without)).toEqual(["vega-s3-bucket-complete"]);
  });

  it("vega-stateful-protected can be relaxed by policy config", async () => {
    const resources = mutate("aws:s3/bucket:Bucket", () => ({ protect: false }));
    const report = await runPolicies(resources, { "vega-stateful-protected": { allowUnprotected: true } });
    expect(report.violations).toEqual([]);
  });
});
