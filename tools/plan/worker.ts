/**
 * Synthesises one stack in its own process (Pulumi's runtime state is global to a process).
 * Started by the plan with an IPC channel: it loads the heavy SDKs at once, then waits for its
 * job, so a DR worker is warm by the time the primary's outputs arrive.
 */
import "@pulumi/pulumi";
import "@pulumi/aws";
import "@pulumi/kubernetes";
// The program's own modules too (everything but index.ts, which runs the program on import).
import "../../components/region";
import { ConfigError } from "../../config/errors";
import { PolicyConfigError, resolvePolicyConfig } from "../../policies/config";
import { ALL_POLICIES } from "../../policies/rules";
import { blocking, runPolicies } from "../../policies/runner";
import { synthesize } from "../synth/recorder";
import { failoverClaims } from "./failover-roles";
import { formatOutputTextProblems, outputTextProblems } from "./output-text";
import type { PlanFile, WorkerJob, WorkerReply } from "./protocol";
import { renderStack } from "./render";

async function run(job: WorkerJob): Promise<WorkerReply> {
  try {
    const policyConfig = resolvePolicyConfig(job.policyConfig, ALL_POLICIES, job.policyConfigFile);
    // require, not import(): the program must share this process's CommonJS copy of the Pulumi
    // runtime the mocks were set on (an ESM import could load a second one).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const result = await synthesize(() => require(job.program), {
      project: job.project,
      stack: job.stack,
      config: job.config,
      secretKeys: job.secretKeys,
      stackOutputs: job.stackOutputs,
    });
    const outputText = outputTextProblems(result.resources);
    if (outputText.length > 0)
      return { ok: false, stack: job.stack, message: formatOutputTextProblems(outputText) };
    const plan: PlanFile = {
      planVersion: 1,
      project: job.project,
      stack: job.stack,
      region: typeof result.outputs.region === "string" ? result.outputs.region : undefined,
      // Plain inputs (secrets unpacked) are for the policy run only, never for a plan file.
      resources: result.resources.map(
        ({ custom: _c, dependencies: _d, plainInputs: _plain, ...kept }) => kept,
      ),
      outputs: result.outputs,
      policy: await runPolicies(result.resources, policyConfig),
    };
    const { files, report } = renderStack(plan, job.earlier);
    return {
      ok: true,
      stack: job.stack,
      outputs: result.outputs,
      files,
      report,
      failoverClaims: failoverClaims(result.resources),
      blocking: blocking(plan.policy),
    };
  } catch (err) {
    if (err instanceof PolicyConfigError)
      return { ok: false, stack: job.stack, message: err.message };
    if (err instanceof ConfigError)
      return { ok: false, stack: job.stack, configProblems: err.problems, message: err.message };
    return {
      ok: false,
      stack: job.stack,
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  }
}

process.on("message", (job: WorkerJob) => {
  void run(job).then((reply) => process.send!(reply, undefined, {}, () => process.exit(0)));
});
process.send!({ ready: true });
