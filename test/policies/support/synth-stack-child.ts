/**
 * Synthesises one real stack (index.ts with its stack file) in a process of its own, under the
 * recording mocks, and answers with every recorded resource, plainInputs included: the policy
 * tests need several stacks in one file, and Pulumi's runtime is global to a process.
 * Started by test/policies/stacks.ts with `--import tsx` and an IPC channel.
 */
import * as path from "node:path";
import type { RecordedResource } from "../../../components/core/plan";
import { synthesize } from "../../../tools/synth/recorder";
import { ROOT, stackFileConfig } from "../../harness";

export interface SynthJob {
  stack: "primary" | "dr";
  /** Config overrides by full key, e.g. {"vega-ha:promoted": "true"}. */
  override: Record<string, string>;
  /** Outputs of the stacks the program reads with a StackReference. */
  stackOutputs: Record<string, Record<string, unknown>>;
}

export type SynthReply =
  | { ok: true; resources: RecordedResource[]; outputs: Record<string, unknown> }
  | { ok: false; error: string };

async function run(job: SynthJob): Promise<SynthReply> {
  try {
    const { project, config, secretKeys } = stackFileConfig(job.stack);
    // require, as the plan worker does: the program shares this process's Pulumi runtime.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const result = await synthesize(() => require(path.join(ROOT, "index.ts")), {
      project,
      stack: job.stack,
      config: { ...config, ...job.override },
      secretKeys,
      stackOutputs: job.stackOutputs,
    });
    return { ok: true, ...result };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

process.once("message", (job: SynthJob) => {
  void run(job).then((reply) => process.send!(reply, undefined, {}, () => process.exit(0)));
});
