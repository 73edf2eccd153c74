/**
 * `npm run plan [-- --stack primary|dr] [-- --diff out-earlier/primary/plan.json] [-- --out DIR]`
 * The offline plan: no cloud account, no Pulumi CLI. See README "Offline plan".
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT as ROOT } from "./paths";
import { PlanFailure, PolicyBlocked, runPlan, STACKS, type StackName } from "./plan/run";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string", multiple: true },
      diff: { type: "string", multiple: true },
      out: { type: "string" },
      "stack-dir": { type: "string" },
      program: { type: "string" },
      "policy-config": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: npm run plan -- [--stack primary|dr]... [--diff <earlier plan.json>]... [--out <dir>] [--stack-dir <dir with Pulumi.<stack>.yaml>] [--program <file.ts>, default index.ts] [--policy-config <file.json>, default policies/policy-config.json]",
    );
    return 0;
  }
  const stacks = (values.stack ?? [...STACKS]) as StackName[];
  const unknown = stacks.filter((s) => !STACKS.includes(s));
  if (unknown.length > 0) {
    console.error(`unknown stack ${unknown.join(", ")}: expected ${STACKS.join(" or ")}`);
    return 2;
  }
  try {
    await runPlan({
      stacks: STACKS.filter((s) => stacks.includes(s)),
      diffFiles: (values.diff ?? []).map((f) => path.resolve(f)),
      outDir: path.resolve(values.out ?? path.join(ROOT, "out")),
      stackDir: path.resolve(values["stack-dir"] ?? ROOT),
      program: values.program && path.resolve(values.program),
      policyConfigFile: values["policy-config"] && path.resolve(values["policy-config"]),
      log: (line) => console.log(line),
    });
    return 0;
  } catch (err) {
    if (err instanceof PolicyBlocked) {
      console.error(`plan written, but blocked: ${err.message}`);
      return 1;
    }
    if (err instanceof PlanFailure) {
      console.error(`plan failed, nothing written.\n${err.message}`);
      return 1;
    }
    throw err;
  }
}

void main().then((code) => process.exit(code));
