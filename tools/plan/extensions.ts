/**
 * How an area contributes to the offline plan without editing the plan tool: a component folder
 * exports extractors over the recorded resources, and tools/plan/registry.ts lists them.
 */
import type { RecordedResource } from "../synth/recorder";

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
  artifacts?: (ctx: PlanContext) => PlanArtifact[];
  sections?: (ctx: PlanContext) => PlanSection[];
}
