/**
 * Synthesises one stack in its own process (Pulumi's runtime state is global to a process).
 * Started by the plan with an IPC channel: it loads the heavy SDKs at once, then waits for its
 * job, so a DR worker is warm by the time the primary's outputs arrive.
 */
import "@pulumi/pulumi";
import "@pulumi/aws";
import "@pulumi/kubernetes";
import * as path from "node:path";
import { ConfigError } from "../../config/errors";
import { runPolicies } from "../../policies/runner";
import { synthesize } from "../synth/recorder";
import type { WorkerJob, WorkerReply } from "./protocol";

const ROOT = path.resolve(__dirname, "../..");

async function run(job: WorkerJob): Promise<WorkerReply> {
  try {
    const result = await synthesize(() => require(path.join(ROOT, "index.ts")), {
      project: job.project,
      stack: job.stack,
      config: job.config,
      secretKeys: job.secretKeys,
      stackOutputs: job.stackOutputs,
    });
    const policy = await runPolicies(result.resources);
    return { ok: true, stack: job.stack, resources: result.resources, outputs: result.outputs, policy };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, stack: job.stack, configProblems: err.problems, message: err.message };
    return { ok: false, stack: job.stack, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

process.on("message", (job: WorkerJob) => {
  void run(job).then((reply) => process.send!(reply, undefined, {}, () => process.exit(0)));
});
process.send!({ ready: true });
