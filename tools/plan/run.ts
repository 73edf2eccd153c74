/**
 * The offline plan: synthesise each stack from its real config file under recording mocks, each
 * in its own worker process, the DR stack fed with the primary's outputs; run the policy pack;
 * then (only when every stack succeeded) write what a reviewer reads.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { ConfigProblem } from "../../config/errors";
import { readProjectName, readStackFile } from "../synth/stack-file";
import { diffPlans, formatDiff, type PlanDiff } from "./diff";
import type { PlanContext } from "./extensions";
import { renderManifests } from "./manifests";
import type { PlanFile, WorkerJob, WorkerReply } from "./protocol";
import { PLAN_EXTENSIONS } from "./registry";
import { renderSummary } from "./summary";
import { isComponent, renderTree } from "./tree";

export const ROOT = path.resolve(__dirname, "../..");
export const STACKS = ["primary", "dr"] as const;
export type StackName = (typeof STACKS)[number];

export interface PlanOptions {
  /** Stacks to write; the primary is always synthesised (the DR stack reads its outputs). */
  stacks: StackName[];
  /** Earlier plan.json files to diff against (matched by their `stack`). */
  diffFiles: string[];
  /** Output folder. Default <repo>/out. */
  outDir: string;
  /** Folder holding Pulumi.yaml and Pulumi.<stack>.yaml. Default the repository root. */
  stackDir?: string;
  /** Print to stdout. */
  log: (line: string) => void;
}

export class PlanFailure extends Error {
  constructor(message: string, readonly configProblems: ConfigProblem[] = []) {
    super(message);
  }
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  reply: Promise<WorkerReply>;
}

function startWorker(): Worker {
  const child = fork(path.join(__dirname, "worker.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    cwd: ROOT,
  });
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const reply = new Promise<WorkerReply>((resolve, reject) => {
    child.on("message", (m: WorkerReply | { ready: true }) => ("ready" in m ? ready() : resolve(m)));
    child.on("exit", (code) => reject(new PlanFailure(`plan worker exited with code ${code} before answering`)));
    child.on("error", reject);
  });
  return { child, ready: readyPromise, reply };
}

function jobFor(stackDir: string, stack: StackName, stackOutputs: WorkerJob["stackOutputs"]): WorkerJob {
  const project = readProjectName(path.join(stackDir, "Pulumi.yaml"));
  const { config, secretKeys } = readStackFile(path.join(stackDir, `Pulumi.${stack}.yaml`), project);
  return { project, stack, config, secretKeys, stackOutputs };
}

async function synthesiseStack(worker: Worker, job: WorkerJob): Promise<PlanFile> {
  await worker.ready;
  worker.child.send(job);
  const reply = await worker.reply;
  if (!reply.ok) throw new PlanFailure(`stack ${job.stack}: ${reply.message}`, reply.configProblems);
  return {
    planVersion: 1,
    project: job.project,
    stack: job.stack,
    region: typeof reply.outputs.region === "string" ? reply.outputs.region : undefined,
    resources: reply.resources.map(({ custom: _custom, dependencies: _dependencies, ...kept }) => kept),
    outputs: reply.outputs,
    policy: reply.policy,
  };
}

/** Synthesises the stacks; the DR worker warms up while the primary runs. */
export async function synthesiseStacks(stacks: StackName[], stackDir = ROOT): Promise<Map<StackName, PlanFile>> {
  const primaryWorker = startWorker();
  const drWorker = stacks.includes("dr") ? startWorker() : undefined;
  try {
    const plans = new Map<StackName, PlanFile>();
    const primary = await synthesiseStack(primaryWorker, jobFor(stackDir, "primary", {}));
    plans.set("primary", primary);
    if (drWorker) {
      const drJob = jobFor(stackDir, "dr", {});
      const primaryStack = drJob.config[`${drJob.project}:primaryStack`];
      if (primaryStack) drJob.stackOutputs[primaryStack] = primary.outputs;
      plans.set("dr", await synthesiseStack(drWorker, drJob));
    }
    return plans;
  } finally {
    for (const w of [primaryWorker, drWorker]) if (w && w.child.exitCode === null) w.child.kill();
  }
}

function readPlanFile(file: string): PlanFile {
  const plan = JSON.parse(readFileSync(file, "utf8")) as PlanFile;
  if (plan.planVersion !== 1 || !Array.isArray(plan.resources)) throw new PlanFailure(`${file} is not a vega-ha plan.json`);
  return plan;
}

/** Everything written for one stack, by path relative to out/<stack>/. */
export function renderStackFiles(plan: PlanFile, diff?: PlanDiff): Map<string, string> {
  const ctx: PlanContext = { stack: plan.stack, resources: plan.resources as PlanContext["resources"], outputs: plan.outputs };
  const files = new Map<string, string>();
  files.set("plan.json", `${JSON.stringify(plan, null, 2)}\n`);
  const sections = PLAN_EXTENSIONS.flatMap((e) => e.sections?.(ctx) ?? []);
  files.set("summary.md", renderSummary(plan, sections, diff));
  const manifests = renderManifests(plan.resources);
  if (manifests) files.set("kubernetes/manifests.yaml", manifests);
  for (const artifact of PLAN_EXTENSIONS.flatMap((e) => e.artifacts?.(ctx) ?? [])) files.set(artifact.path, artifact.content);
  return files;
}

export async function runPlan(options: PlanOptions): Promise<Map<StackName, PlanFile>> {
  const earlier = options.diffFiles.map(readPlanFile);
  const plans = await synthesiseStacks(options.stacks, options.stackDir);
  const rendered = new Map<StackName, Map<string, string>>();
  for (const stack of options.stacks) {
    const plan = plans.get(stack)!;
    const before = earlier.find((p) => p.stack === stack);
    const diff = before ? diffPlans(before, plan) : undefined;
    rendered.set(stack, renderStackFiles(plan, diff));
    const violations = plan.policy.violations.length;
    options.log(`\n${stack} (${plan.region}): ${plan.resources.filter((r) => !isComponent(r)).length} resources, policy: ${plan.policy.policies.length} rules, ${violations} violation(s)`);
    options.log(renderTree(plan.resources));
    options.log(`outputs: ${JSON.stringify(plan.outputs, null, 2)}`);
    for (const v of plan.policy.violations) options.log(`policy ${v.enforcementLevel}: ${v.policy}: ${v.message} (${v.urn ?? "stack"})`);
    if (diff) options.log(formatDiff(diff));
  }
  // Nothing is written unless every stack planned.
  for (const [stack, files] of rendered) {
    const dir = path.join(options.outDir, stack);
    rmSync(dir, { recursive: true, force: true });
    for (const [rel, content] of files) {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    options.log(`wrote ${path.relative(process.cwd(), dir) || dir}/ (${[...files.keys()].join(", ")})`);
  }
  return plans;
}
