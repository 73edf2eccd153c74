/**
 * Both stacks load the way `pulumi up` loads them: Pulumi's language host registers ts-node with
 * the project's tsconfig.json and type-checks (test/stack/support/load-as-pulumi.cjs mirrors
 * @pulumi/pulumi/cmd/run/run.js), with PULUMI_ERROR_OUTPUT_STRING=true so an Output used as a
 * string throws instead of becoming text. `npm run plan` and the other tests load through tsx,
 * which never type-checks: a missing declaration or a type error fails only here.
 * Each stack in its own child process (Pulumi's runtime is global to a process), in parallel.
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stackOutputsSchema } from "../../config";
import type { PlanFile } from "../../tools/plan/protocol";
import { synthesiseStacks, type StackName } from "../../tools/plan/run";
import { examplePrimaryOutputs, ROOT, stackConfig, stackFileConfig } from "../harness";
import type { EngineLoadJob, EngineLoadReply } from "./support/engine-load-child";

const STACKS = ["primary", "dr"] as const satisfies readonly StackName[];

/** Loads one stack in a fresh Node process, as the language host would. */
function loadAsPulumi(job: EngineLoadJob): Promise<EngineLoadReply> {
  const { NODE_OPTIONS: _inherited, ...env } = process.env;
  const child = fork(
    path.join(__dirname, "support/load-as-pulumi.cjs"),
    [ROOT, path.join(__dirname, "support/engine-load-child.ts")],
    {
      cwd: ROOT,
      // No loader of vitest's or tsx's: ts-node alone compiles, as under `pulumi up`.
      execArgv: [],
      env: { ...env, PULUMI_ERROR_OUTPUT_STRING: "true" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.resume();
  return new Promise((resolve, reject) => {
    child.once("message", (reply: EngineLoadReply) => resolve(reply));
    child.once("exit", (code) =>
      reject(new Error(`${job.stack}: loader exited with ${code} before answering\n${stderr}`)),
    );
    child.send(job);
  });
}

const loaded = new Map<StackName, EngineLoadReply>();
let planned: Awaited<ReturnType<typeof synthesiseStacks>>;

beforeAll(async () => {
  const { config, project } = stackFileConfig("dr");
  const drReads = { [config[`${project}:primaryStack`]!]: examplePrimaryOutputs() };
  const [primary, dr, plan] = await Promise.all([
    loadAsPulumi({ stack: "primary", stackOutputs: {} }),
    loadAsPulumi({ stack: "dr", stackOutputs: drReads }),
    synthesiseStacks([...STACKS]),
  ]);
  loaded.set("primary", primary);
  loaded.set("dr", dr);
  planned = plan;
}, 240_000);

describe.each(STACKS)("index.ts loaded as `pulumi up --stack %s` loads it", (stack) => {
  const reply = () => {
    const r = loaded.get(stack)!;
    if (!r.ok) throw new Error(`the program did not load under ts-node:\n${r.error}`);
    return r;
  };

  it("compiles with type-checking on and runs to its end", () => {
    expect(loaded.get(stack)).toMatchObject({ ok: true });
  });

  it("exports the outputs contract, as its role in its region", () => {
    const { role, region } = stackConfig(stack);
    expect(stackOutputsSchema.parse(reply().outputs)).toMatchObject({ role, region });
  });

  it("registers exactly the resources the offline plan records for the stack", () => {
    const plan = JSON.parse(planned.get(stack)!.files["plan.json"]!) as PlanFile;
    const plannedUrns = plan.resources.map((r) => r.urn);
    expect(reply().urns.length).toBeGreaterThan(0);
    expect([...reply().urns].sort()).toEqual(plannedUrns.sort());
  });
});
