/**
 * Runs under load-as-pulumi.cjs (ts-node, registered as Pulumi's language host registers it):
 * synthesises the real program, index.ts, for the stack the parent sends, under the project's
 * recording mocks, and answers with what it registered and exported.
 */
import * as path from "node:path";
import { synthesize } from "../../../tools/synth/recorder";
import { ROOT, stackFileConfig } from "../../harness";

/** What the parent sends: the stack, and the outputs its StackReference reads (DR only). */
export interface EngineLoadJob {
  stack: "primary" | "dr";
  stackOutputs: Record<string, Record<string, unknown>>;
}

export type EngineLoadReply =
  { ok: true; urns: string[]; outputs: Record<string, unknown> } | { ok: false; error: string };

async function load(job: EngineLoadJob): Promise<EngineLoadReply> {
  try {
    const { project, config, secretKeys } = stackFileConfig(job.stack);
    // require, as run.js loads a CommonJS program: ts-node compiles it through require's hook.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const result = await synthesize(() => require(path.join(ROOT, "index.ts")), {
      project,
      stack: job.stack,
      config,
      secretKeys,
      stackOutputs: job.stackOutputs,
    });
    return { ok: true, urns: result.resources.map((r) => r.urn), outputs: result.outputs };
  } catch (err) {
    if (!(err instanceof Error)) return { ok: false, error: String(err) };
    // The program's own frames say where (a TSError's message already does).
    const where = (err.stack ?? "")
      .split("\n")
      .filter((line) => line.includes(ROOT) && !line.includes("node_modules"))
      .slice(0, 3);
    return { ok: false, error: [`${err.name}: ${err.message}`, ...where].join("\n") };
  }
}

process.once("message", (job: EngineLoadJob) => {
  void load(job).then((reply) => process.send!(reply, undefined, {}, () => process.exit(0)));
});
