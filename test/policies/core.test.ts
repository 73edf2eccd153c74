/**
 * The stack-wide AWS guardrails (policies/core.ts): every AWS resource through an explicit
 * provider, and every AWS provider with the default tags.
 */
import { describe, expect, it } from "vitest";
import {
  awsDefaultTags,
  awsTagsNotOverridden,
  explicitAwsProvider,
  noSecretValueInConfigMap,
  REQUIRED_DEFAULT_TAGS,
} from "../../policies/core";
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

describe("vega-no-secret-value-in-configmap", () => {
  const secret = (name: string, props: Record<string, unknown>) =>
    recordedResource("kubernetes:core/v1:Secret", name, props);
  const configMap = (name: string, props: Record<string, unknown>) =>
    recordedResource("kubernetes:core/v1:ConfigMap", name, props);
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

  it("finds a Secret's value, given as stringData or base64 data, in a ConfigMap's data or metadata", async () => {
    const resources = [
      secret("db", { stringData: { password: "s3cr3t-pass" } }),
      secret("api", { data: { token: b64("tok-1234567") } }),
      configMap("in-data", { data: { "app.conf": "password=s3cr3t-pass", n: 5 } }),
      configMap("in-metadata", { metadata: { annotations: { hint: "tok-1234567" } }, data: {} }),
      configMap("encoded-only", { data: { "x.conf": b64("tok-1234567") } }),
      configMap("clean", { data: { "app.conf": "password=${PASSWORD}" } }),
      // A Secret may say anything: only ConfigMaps are looked into.
      secret("annotated", { metadata: { annotations: { copy: "s3cr3t-pass" } } }),
    ];
    const report = await runPolicies(resources, {}, [noSecretValueInConfigMap]);
    expect(report.violations.map((v) => v.message)).toEqual([
      "in-data: data.app.conf contains the value of a Secret",
      "in-metadata: metadata contains the value of a Secret",
    ]);
  });

  it("looks only at Secrets' values, and skips values a preview does not know yet", async () => {
    const resources = [
      // A certificate bundle is base64 in a ConfigMap too: it is no Secret.
      configMap("ca", { data: { "ca.b64": b64("not-a-secret-123") } }),
      configMap("app", { data: { "app.conf": "ca=not-a-secret-123 port=54321987" } }),
      // Unknown during a preview; a number given where a string belongs.
      secret("pending", { data: { password: undefined }, stringData: { port: 54321987 } }),
    ];
    expect((await runPolicies(resources, {}, [noSecretValueInConfigMap])).violations).toEqual([]);
  });

  it("looks only for values of at least minSecretLength (default 8), which config may lower to 4", async () => {
    const resources = [
      secret("short", { stringData: { port: "5432", flag: "true", pin: "7531246" } }),
      configMap("uses-them", { data: { "app.conf": "port=5432 tls=true pin=7531246" } }),
    ];
    expect((await runPolicies(resources, {}, [noSecretValueInConfigMap])).violations).toEqual([]);
    const lowered = await runPolicies(
      resources,
      { [noSecretValueInConfigMap.name]: { minSecretLength: 7 } },
      [noSecretValueInConfigMap],
    );
    expect(lowered.violations.map((v) => v.message)).toEqual([
      "uses-them: data.app.conf contains the value of a Secret",
    ]);
    expect(noSecretValueInConfigMap.configSchema?.properties.minSecretLength).toMatchObject({
      minimum: 4,
      default: 8,
    });
  });
});

describe("vega-aws-tags-not-overridden", () => {
  const tags = Object.fromEntries(REQUIRED_DEFAULT_TAGS.map((k) => [k, `${k}-value`]));
  const provider = recordedResource("pulumi:providers:aws", "vega-aws", {
    defaultTags: JSON.stringify({ tags }),
  });
  const bucket = (
    name: string,
    own: Record<string, string>,
    extra: object = { provider: provider.urn },
  ) => recordedResource("aws:s3/bucket:Bucket", name, { tags: own }, extra);

  it("reports a resource tag that changes a required default tag, or uses the aws: prefix", async () => {
    const resources = [
      provider,
      bucket("same", { service: "service-value", team: "data" }),
      bucket("changed", { environment: "staging" }),
      bucket("reserved", { "AWS:owner": "me", "aws:x": "y" }),
      bucket("no-provider", { stack: "other" }, {}),
      recordedResource("kubernetes:core/v1:Namespace", "ns", { tags: { service: "x" } }),
    ];
    const report = await runPolicies(resources, {}, [awsTagsNotOverridden]);
    expect(report.violations.map((v) => v.message)).toEqual([
      "changed: tag environment=staging overrides the provider's environment=environment-value",
      "reserved: tag key AWS:owner uses the prefix AWS reserves",
      "reserved: tag key aws:x uses the prefix AWS reserves",
      "no-provider: tag stack=other overrides the provider's stack=(unset)",
    ]);
  });
});
