/**
 * The offline plan's vocabulary, shared by the tools that record and render a plan, the policy
 * runner, and the component folders that contribute to it. It lives at the bottom of the import
 * graph (components/core) so that tools/ and policies/ import components/, never the reverse.
 *
 * How an area contributes to the offline plan without editing the plan tool: a component folder
 * exports a PlanExtension over the recorded resources, and components/region/plan.ts lists them.
 */

import type { ObjectiveInput } from "./objectives";

/** What the offline plan writes in place of a secret value: config `secure:` values and secret inputs. */
export const REDACTED = "[secret]";

/**
 * A resource's inputs as plan extensions and the synthesis mocks read them: an untyped JSON tree
 * read by path (the type @pulumi/policy gives a rule's `props`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: JSON read by path
export type ResourceProps = Record<string, any>;

/** One resource as the recording mocks saw it registered. */
export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent (the stack's root resource for top-level resources). */
  parent?: string;
  /** URN of the provider resource this resource was registered with. */
  provider?: string;
  /** AWS region: the `region` input, else the provider's region. */
  region?: string;
  custom: boolean;
  /** Resource options that guard against accidental deletion. */
  protect: boolean;
  retainOnDelete: boolean;
  /** URNs this resource explicitly depends on (dependsOn and input dependencies). */
  dependencies: string[];
  /** Input paths whose change replaces the resource (`replaceOnChanges`). */
  replaceOnChanges?: string[];
  /** The old resource is deleted before its replacement is created (`deleteBeforeReplace`). */
  deleteBeforeReplace?: boolean;
  /** Earlier identities of this resource (`aliases`), as the engine receives them. */
  aliases?: RecordedAlias[];
  /** Inputs as registered, secret values replaced by "[secret]": what plan files show. */
  inputs: Record<string, unknown>;
  /**
   * Inputs as the policy engine hands them to rules under `pulumi preview`: secrets unpacked to
   * their plain value, no marker (@pulumi/policy deserialize.js), offline the mocks' stand-ins.
   * Only the in-process policy run reads them; never write them to a plan file.
   */
  plainInputs: Record<string, unknown>;
  /** Paths (a.b[0].c) of inputs that were secret. */
  secretPaths: string[];
}

/**
 * One `aliases` entry: a full URN, or a spec the engine completes (a field left out means "the
 * same as now"; `parentUrn` undefined and `noParent` false mean "the same parent").
 */
export interface RecordedAlias {
  urn?: string;
  name?: string;
  type?: string;
  parentUrn?: string;
  noParent?: boolean;
}

/** A file written under out/<stack>/ (rule files, dashboard JSON, rendered configs). */
export interface PlanArtifact {
  /** Path relative to out/<stack>/, e.g. "prometheus/rules.yaml". */
  path: string;
  content: string;
}

/** A section of summary.md (Markdown fit for a pull-request comment). */
export interface PlanSection {
  title: string;
  markdown: string;
}

export interface PlanContext {
  stack: string;
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}

export interface PlanExtension {
  /** Short name of the area, e.g. "observability". */
  name: string;
  /**
   * The area's rows of the recovery-objectives table (seed 16.2/16.3), computed from the
   * recorded resources: what would be deployed, not what the config says.
   */
  objectives?: (ctx: PlanContext) => ObjectiveInput[];
  artifacts?: (ctx: PlanContext) => PlanArtifact[];
  sections?: (ctx: PlanContext) => PlanSection[];
}
