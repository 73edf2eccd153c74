import type { StackValidationPolicy } from "@pulumi/policy";

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
  validateStack: (args, reportViolation) => {
    for (const r of args.resources) {
      if (r.type !== "pulumi:providers:aws") continue;
      const raw = r.props.defaultTags;
      const tags = (typeof raw === "string" ? JSON.parse(raw) : raw)?.tags ?? {};
      const missing = REQUIRED_DEFAULT_TAGS.filter((k) => !tags[k]);
      if (missing.length > 0)
        reportViolation(`provider ${r.name} lacks default tags: ${missing.join(", ")}`, r.urn);
    }
  },
};

export const corePolicies = [explicitAwsProvider, awsDefaultTags];
