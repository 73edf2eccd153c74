/**
 * The stack-wide AWS guardrails (policies/core.ts): every AWS resource through an explicit
 * provider, and every AWS provider with the default tags.
 */
import { describe, expect, it } from "vitest";
import { awsDefaultTags, explicitAwsProvider, REQUIRED_DEFAULT_TAGS } from "../../policies/core";
import { runPolicies } from "../../policies/runner";
import { recordedResource } from "../harness/records";

const messages = async (
  policy: typeof awsDefaultTags,
  resources: ReturnType<typeof recordedResource>[],
) => (await runPolicies(resources, {}, [policy])).violations.map((v) => [v.urn, v.message]);

describe("vega-explicit-aws-provider", () => {
  const provider = (name: string) => `urn:pulumi:primary::vega-ha::pulumi:providers:aws::${name}`;
  const bucket = (name: string, extra: object = {}) =>
    recordedResource("aws:s3/bucket:Bucket", name, {}, extra);

  it("reports an AWS resource with no provider or the engine's default one, by name and type", async () => {
    const none = bucket("no-provider");
    const plain = bucket("plain-default", { provider: provider("default") });
    const versioned = bucket("versioned-default", { provider: provider("default_7_0_0") });
    expect(await messages(explicitAwsProvider, [none, plain, versioned])).toEqual([
      [none.urn, "no-provider (aws:s3/bucket:Bucket) uses the default AWS provider"],
      [plain.urn, "plain-default (aws:s3/bucket:Bucket) uses the default AWS provider"],
      [versioned.urn, "versioned-default (aws:s3/bucket:Bucket) uses the default AWS provider"],
    ]);
  });

  it("passes an explicit provider, even one whose name starts with default, and non-AWS resources", async () => {
    const resources = [
      bucket("explicit", { provider: provider("vega-primary-aws") }),
      bucket("named-like-default", { provider: provider("default-region-aws") }),
      bucket("suffixed", { provider: provider("default_7_0_0-extra") }),
      recordedResource("kubernetes:core/v1:Namespace", "ns", {}),
    ];
    expect(await messages(explicitAwsProvider, resources)).toEqual([]);
  });
});

describe("vega-aws-default-tags", () => {
  const tags = Object.fromEntries(REQUIRED_DEFAULT_TAGS.map((k) => [k, `${k}-value`]));
  const aws = (name: string, defaultTags: unknown) =>
    recordedResource(
      "pulumi:providers:aws",
      name,
      defaultTags === undefined ? {} : { defaultTags },
    );

  it("takes the tags as an object or as the JSON string the engine passes providers", async () => {
    const resources = [aws("object", { tags }), aws("string", JSON.stringify({ tags }))];
    expect(await messages(awsDefaultTags, resources)).toEqual([]);
  });

  it("names each missing or empty tag, and a provider with none at all", async () => {
    const { stack: _stack, region: _region, ...partial } = tags;
    const some = aws("some", { tags: { ...partial, service: "" } });
    const none = aws("none", undefined);
    const noTags = aws("no-tags", JSON.stringify({}));
    expect(await messages(awsDefaultTags, [some, none, noTags])).toEqual([
      [some.urn, "provider some lacks default tags: service, stack, region"],
      [
        none.urn,
        "provider none lacks default tags: service, environment, stack, region, managed-by",
      ],
      [
        noTags.urn,
        "provider no-tags lacks default tags: service, environment, stack, region, managed-by",
      ],
    ]);
    expect(awsDefaultTags.description).toBe(
      "AWS providers set default tags service, environment, stack, region, managed-by.",
    );
  });
});
