/** Stack-wide guardrails: explicit AWS providers with default tags, secrets kept in Secrets. */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

/** Tag keys the AWS provider must put on every resource (see components/core/tags.ts). */
export const REQUIRED_DEFAULT_TAGS = [
  "service",
  "environment",
  "stack",
  "region",
  "managed-by",
] as const;

/**
 * Every AWS resource goes through an explicit provider: the default provider would pick up
 * whatever region and credentials the shell has, the classic way to deploy into the wrong region.
 */
export const explicitAwsProvider: StackValidationPolicy = {
  name: "vega-explicit-aws-provider",
  description: "AWS resources use the stack's explicit provider, never the default one.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Pass the stack's AWS provider (components/core providers) in the resource's options: `{ provider }`, or `{ parent }` of a component that was given it.",
  validateStack: (args, reportViolation) => {
    for (const r of args.resources) {
      if (!r.type.startsWith("aws:")) continue;
      const provider = r.provider?.urn ?? "";
      if (provider === "" || /::default(_[0-9_]+)?$/.test(provider)) {
        reportViolation(`${r.name} (${r.type}) uses the default AWS provider`, r.urn);
      }
    }
  },
};

/** The stack's AWS providers set the default tags every resource must carry. */
export const awsDefaultTags: StackValidationPolicy = {
  name: "vega-aws-default-tags",
  description: `AWS providers set default tags ${REQUIRED_DEFAULT_TAGS.join(", ")}.`,
  enforcementLevel: "mandatory",
  remediationSteps:
    "Build the AWS provider with components/core's default tags (service, environment, stack, region, managed-by) in `defaultTags.tags`.",
  validateStack: (args, reportViolation) => {
    for (const r of args.resources) {
      if (r.type !== "pulumi:providers:aws") continue;
      const tags = providerDefaultTags(r);
      const missing = REQUIRED_DEFAULT_TAGS.filter((k) => !tags[k]);
      if (missing.length > 0)
        reportViolation(`provider ${r.name} lacks default tags: ${missing.join(", ")}`, r.urn);
    }
  },
};

/** Shorter Secret values (a port, "true") would match ordinary config by accident. */
const MIN_SECRET_LENGTH = 8;
/** Below this, ordinary words would match everywhere. */
const SHORTEST_SECRET_LENGTH_LIMIT = 4;

/** What a Kubernetes Secret holds: `stringData` as given, `data` base64-decoded. */
function secretValues(props: PolicyResource["props"], minLength: number): string[] {
  const given = Object.values((props.stringData ?? {}) as Record<string, unknown>);
  const encoded = Object.values((props.data ?? {}) as Record<string, unknown>).map((v) =>
    typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : v,
  );
  return [...given, ...encoded].filter(
    (v): v is string => typeof v === "string" && v.length >= minLength,
  );
}

/**
 * Catches a secret by content, as the engine hands rules secrets: plain values with no marker
 * (policies/runner.ts). A ConfigMap that carries what a Secret of the stack holds (a password
 * rendered into a config file, copied into an annotation) leaks it to anyone who reads ConfigMaps.
 */
export const noSecretValueInConfigMap: StackValidationPolicy = {
  name: "vega-no-secret-value-in-configmap",
  description: "No ConfigMap contains a value that a Secret of the stack holds.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Move the value into a Secret and reference it (env valueFrom.secretKeyRef or a Secret volume); render configs with a placeholder filled in at start.",
  configSchema: {
    properties: {
      minSecretLength: {
        type: "integer",
        minimum: SHORTEST_SECRET_LENGTH_LIMIT,
        default: MIN_SECRET_LENGTH,
        description: "Secret values shorter than this are not looked for (they match by accident).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { minSecretLength } = args.getConfig<{ minSecretLength: number }>();
    const secrets = args.resources
      .filter((r) => r.type === "kubernetes:core/v1:Secret")
      .flatMap((r) => secretValues(r.props, minSecretLength));
    for (const cm of args.resources) {
      if (cm.type !== "kubernetes:core/v1:ConfigMap") continue;
      const places: [string, unknown][] = [
        ...Object.entries((cm.props.data ?? {}) as Record<string, unknown>).map(
          ([key, value]): [string, unknown] => [`data.${key}`, value],
        ),
        ["metadata", JSON.stringify(cm.props.metadata ?? {})],
      ];
      for (const [where, value] of places) {
        if (typeof value === "string" && secrets.some((s) => value.includes(s)))
          reportViolation(`${cm.name}: ${where} contains the value of a Secret`, cm.urn);
      }
    }
  },
};

/** The default tags a provider resource sets (recorded as JSON text or as an object). */
function providerDefaultTags(provider: { props: PolicyResource["props"] } | undefined) {
  const raw = provider?.props.defaultTags;
  return ((typeof raw === "string" ? JSON.parse(raw) : raw)?.tags ?? {}) as Record<string, string>;
}

/**
 * With vega-explicit-aws-provider (every AWS resource through an explicit provider) and
 * vega-aws-default-tags (those providers tag), every taggable AWS resource carries the required
 * tags, unless the resource's own `tags` override one: resource tags win over the provider's
 * default tags with the same key (HashiCorp, "Default Tags in the Terraform AWS Provider": resource
 * tags take precedence), which the Pulumi AWS provider bridges. This closes that gap. The aws:
 * prefix is reserved for AWS's own tags (AWS Tagging Best Practices: user tags cannot use it).
 */
export const awsTagsNotOverridden: StackValidationPolicy = {
  name: "vega-aws-tags-not-overridden",
  description: `No AWS resource's own tags override a required default tag (${REQUIRED_DEFAULT_TAGS.join(", ")}) with another value, or use the reserved aws: prefix.`,
  enforcementLevel: "mandatory",
  remediationSteps:
    "Drop the resource's tag that repeats a required key (service, environment, stack, region, managed-by) with another value: the provider's default tags set it; never use keys starting with aws:.",
  validateStack: (args, reportViolation) => {
    for (const r of args.resources) {
      if (!r.type.startsWith("aws:")) continue;
      const tags = (r.props.tags ?? {}) as Record<string, unknown>;
      const defaults = providerDefaultTags(r.provider);
      for (const key of REQUIRED_DEFAULT_TAGS)
        if (key in tags && tags[key] !== defaults[key])
          reportViolation(
            `${r.name}: tag ${key}=${String(tags[key])} overrides the provider's ${key}=${defaults[key] ?? "(unset)"}`,
            r.urn,
          );
      for (const key of Object.keys(tags).filter((k) => k.toLowerCase().startsWith("aws:")))
        reportViolation(`${r.name}: tag key ${key} uses the prefix AWS reserves`, r.urn);
    }
  },
};

export const corePolicies = [
  explicitAwsProvider,
  awsDefaultTags,
  noSecretValueInConfigMap,
  awsTagsNotOverridden,
];
