import type { ConfigProblem } from "../../config/errors";
import type { PolicyReport, PolicyViolation } from "../../policies/runner";
import type { RecordedResource } from "../../components/core/plan";
import type { FailoverClaim } from "./failover-roles";

/** What the plan sends a worker: one stack to synthesise. */
export interface WorkerJob {
  project: string;
  stack: string;
  /** Absolute path of the program to synthesise (the project's index.ts). */
  program: string;
  config: Record<string, string>;
  secretKeys: string[];
  stackOutputs: Record<string, Record<string, unknown>>;
  /** An earlier plan of this stack to diff against. */
  earlier?: PlanFile;
  /** The policy pack's config file as parsed JSON, validated by the worker against the rules. */
  policyConfig: unknown;
  /** Where it was read (for messages). */
  policyConfigFile: string;
}

export type WorkerReply =
  | {
      ok: true;
      stack: string;
      outputs: Record<string, unknown>;
      files: Record<string, string>;
      report: string;
      /** The stack's Route 53 failover records, checked across stacks by the plan. */
      failoverClaims: FailoverClaim[];
      /** Mandatory violations under the policy config: they fail the plan. */
      blocking: PolicyViolation[];
    }
  | { ok: false; stack: string; message: string; configProblems?: ConfigProblem[] };

/** The record of one stack's plan, written to out/<stack>/plan.json. */
export interface PlanFile {
  planVersion: 1;
  project: string;
  stack: string;
  region?: string;
  resources: PlanResource[];
  outputs: Record<string, unknown>;
  policy: PolicyReport;
}

/** A recorded resource as plan.json keeps it (what a reviewer needs, no transport details). */
export type PlanResource = Omit<RecordedResource, "custom" | "dependencies" | "plainInputs">;
