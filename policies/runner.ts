/**
 * Runs the pack's rules in-process over recorded resources, as the Pulumi engine would run them
 * over a preview: resource rules see each resource's inputs and options, stack rules see all.
 */
import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { RecordedResource } from "../components/core/plan";
import { levelOf, limitsOf, type PolicyConfig } from "./config";
import { ALL_POLICIES } from "./rules";
import type { VegaPolicy } from "./rule";

export type { PolicyConfig } from "./config";

export interface PolicyViolation {
  policy: string;
  enforcementLevel: string;
  message: string;
  urn?: string;
  /** The rule's remediationSteps: what to change. */
  remedy?: string;
}

export interface PolicyReport {
  /** Rules that ran. */
  policies: { name: string; description: string; enforcementLevel: string }[];
  violations: PolicyViolation[];
}

/** A resource class as isType/asType get it: its type token is a static field. */
type PulumiClass = { __pulumiType?: string } | undefined;

/**
 * The resources as the engine hands them to rules: `props` are the plain inputs, secrets
 * unpacked. @pulumi/policy 1.21 (server.js, analyze and analyzeStack) deserialises with
 * `deserializeProperties(props, false)`, and deserialize.js returns a secret's inner value when
 * proxySecrets is false: a rule never sees a secret marker, so none may look for one.
 */
function toPolicyResources(resources: RecordedResource[]): Map<string, PolicyResource> {
  const byUrn = new Map<string, PolicyResource>();
  for (const r of resources) {
    byUrn.set(r.urn, {
      type: r.type,
      props: r.plainInputs,
      urn: r.urn,
      name: r.name,
      opts: {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        parent: r.parent,
        provider: r.provider,
      },
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: PulumiClass) => cls?.__pulumiType === r.type,
      asType: (cls: PulumiClass) => (cls?.__pulumiType === r.type ? r.plainInputs : undefined),
    } as unknown as PolicyResource);
  }
  for (const r of resources) {
    const p = byUrn.get(r.urn)! as {
      parent?: PolicyResource;
      provider?: unknown;
      dependencies: PolicyResource[];
    };
    p.parent = r.parent ? byUrn.get(r.parent) : undefined;
    const provider = r.provider ? resources.find((x) => x.urn === r.provider) : undefined;
    p.provider = provider
      ? {
          type: provider.type,
          props: provider.plainInputs,
          urn: provider.urn,
          name: provider.name,
        }
      : r.provider
        ? { type: "", props: {}, urn: r.provider, name: "" }
        : undefined;
    p.dependencies = r.dependencies.flatMap((u) => (byUrn.has(u) ? [byUrn.get(u)!] : []));
  }
  return byUrn;
}

/**
 * Runs the rules with `config` (per rule: enforcement level and limits, as resolvePolicyConfig
 * gives them from policies/policy-config.json; default: each rule's own level and defaults).
 */
export async function runPolicies(
  resources: RecordedResource[],
  config: PolicyConfig = {},
  policies: VegaPolicy[] = ALL_POLICIES,
): Promise<PolicyReport> {
  const violations: PolicyViolation[] = [];
  const all = toPolicyResources(resources);
  // The rule being run, set before it runs: the arguments below are built once per resource and
  // run, not per rule (the mutation proof runs the whole pack hundreds of times; allocation was
  // most of its cost).
  let current: { policy: VegaPolicy; level: string; limits: Record<string, unknown> };
  const report = (urn?: string) => (message: string, violationUrn?: string) => {
    violations.push({
      policy: current.policy.name,
      enforcementLevel: current.level,
      message,
      urn: violationUrn ?? urn,
      remedy: current.policy.remediationSteps,
    });
  };
  const getConfig = () => current.limits;
  const notApplicable = () => undefined;
  const resourceArgs = [...all.values()].map((resource) => ({
    args: {
      ...resource,
      stackTags: new Map(),
      getConfig,
      notApplicable,
    } as unknown as ResourceValidationArgs,
    report: report(resource.urn),
  }));
  for (const policy of policies) {
    const level = levelOf(policy, config);
    if (level === "disabled") continue;
    current = { policy, level, limits: limitsOf(policy, config) };
    if ("validateStack" in policy) {
      const args = {
        resources: [...all.values()],
        getConfig,
        notApplicable,
      } as unknown as StackValidationArgs;
      await policy.validateStack(args, report());
      continue;
    }
    // validateResource is one validation or a list (none on a remediation-only rule).
    const validations = [policy.validateResource ?? []].flat();
    for (const { args, report: reportResource } of resourceArgs)
      for (const validate of validations) await validate(args, reportResource);
  }
  return {
    policies: policies.map((p) => ({
      name: p.name,
      description: p.description,
      enforcementLevel: levelOf(p, config),
    })),
    violations,
  };
}

/** The violations that fail `pulumi preview`: the mandatory ones. */
export const blocking = (report: PolicyReport) =>
  report.violations.filter((v) => v.enforcementLevel === "mandatory");
