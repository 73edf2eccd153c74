/** Mutations that prove the stack-wide rules of core.ts (see mutation.ts). */
import type { RecordedResource, ResourceProps } from "../components/core/plan";
import {
  awsDefaultTags,
  awsTagsNotOverridden,
  explicitAwsProvider,
  noSecretValueInConfigMap,
} from "./core";
import { editInputs, editResource, named, type PolicyMutation, type View } from "./mutation";

const BACKUP_BUCKET = { type: "aws:s3/bucket:Bucket", where: named("-backup-bucket") };
const AWS_PROVIDER = { type: "pulumi:providers:aws" };
const ALARM = { type: "aws:cloudwatch/metricAlarm:MetricAlarm" };
const GATEWAY_RUNTIME = { type: "kubernetes:core/v1:ConfigMap", where: named("-gateway-runtime") };

/** The plain value of the stack's first Secret (its stand-in offline), in the given view. */
function secretValue(all: readonly RecordedResource[], view: View): string {
  const secret = all.find((r) => r.type === "kubernetes:core/v1:Secret");
  const data = secret ? view(secret).stringData : undefined;
  return Object.values((data ?? {}) as Record<string, string>)[0] ?? "";
}

/** A ConfigMap mutation that copies a Secret's value into it (in each view, that view's value). */
const copySecretInto = (place: (cm: ResourceProps, value: string) => void) =>
  ((resources) => {
    if (!resources.some((r) => r.type === "kubernetes:core/v1:Secret")) return undefined;
    return editInputs(GATEWAY_RUNTIME, (props, view) => place(props, secretValue(resources, view)))(
      resources,
    );
  }) satisfies PolicyMutation["apply"];

export const coreMutations: PolicyMutation[] = [
  {
    rule: explicitAwsProvider,
    breaks: "a bucket registered without a provider",
    apply: editResource(BACKUP_BUCKET, () => ({ provider: undefined })),
  },
  {
    rule: explicitAwsProvider,
    breaks: "a bucket registered with the default AWS provider",
    apply: editResource(BACKUP_BUCKET, (r) => ({
      // urn:pulumi:<stack>::<project>::pulumi:providers:aws::default_<version>
      provider: `${r.urn.split("::").slice(0, 2).join("::")}::pulumi:providers:aws::default_7_48_0`,
    })),
  },
  {
    rule: awsDefaultTags,
    breaks: "the AWS provider's default tags lose managed-by",
    apply: editInputs(AWS_PROVIDER, (p) => {
      const tags = JSON.parse(p.defaultTags as string) as { tags: Record<string, string> };
      delete tags.tags["managed-by"];
      p.defaultTags = JSON.stringify(tags);
    }),
  },
  {
    rule: noSecretValueInConfigMap,
    breaks: "a ConfigMap's data carries the Redis password",
    apply: copySecretInto((cm, value) => {
      cm.data = { ...cm.data, "upstream.conf": `redis_url: redis://:${value}@vega-redis:6379` };
    }),
  },
  {
    rule: noSecretValueInConfigMap,
    breaks: "a ConfigMap's annotation carries the Redis password",
    apply: copySecretInto((cm, value) => {
      cm.metadata = { ...cm.metadata, annotations: { "vega/upstream": value } };
    }),
  },
  {
    rule: awsTagsNotOverridden,
    breaks: "an alarm tagged environment=dev over the provider's default",
    apply: editInputs(ALARM, (p) => (p.tags = { ...p.tags, environment: "dev" })),
  },
  {
    rule: awsTagsNotOverridden,
    breaks: "a bucket tagged with the reserved aws: prefix",
    apply: editInputs(BACKUP_BUCKET, (p) => (p.tags = { ...p.tags, "aws:owner": "vega" })),
  },
];
