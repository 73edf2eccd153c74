/**
 * The offline plan: synthesise each stack from its real config file under recording mocks, each
 * in its own worker process, the DR stack fed with the primary's outputs; run the policy pack;
 * then (only when every stack succeeded) write what a reviewer reads. This process stays light
 * (no SDK, no areas): the workers load those, in parallel, and render their stack's files.
 */
import { REPO_ROOT } from "../paths";
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { ConfigProblem } from "../../config/errors";
import { readProjectName, readStackFile } from "../synth/stack-file";
import type { PlanFile, WorkerJob, WorkerReply } from "./protocol";

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
  constructor(
    message: string,
    readonly configProblems: ConfigProblem[] = [],
  ) {
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
    cwd: REPO_ROOT,
  });
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const reply = new Promise<WorkerReply>((resolve, reject) => {
    child.on("message", (m: WorkerReply | { ready: true }) =>
      "ready" in m ? ready() : resolve(m),
    );
    child.on("exit", (code) =>
      reject(new PlanFailure(`plan worker exited with code ${code} before answering`)),
    );
    child.on("error", reject);
  });
  return { child, ready: readyPromise, reply };
}

function jobFor(
  stackDir: string,
  stack: StackName,
  stackOutputs: WorkerJob["stackOutputs"],
  earlier: PlanFile[],
): WorkerJob {
  const project = readProjectName(path.join(stackDir, "Pulumi.yaml"));
  const { config, secretKeys } = readStackFile(
    path.join(stackDir, `Pulumi.${stack}.yaml`),
    project,
  );
  return {
    project,
    stack,
    config,
    secretKeys,
    stackOutputs,
    earlier: earlier.find((p) => p.stack === stack),
  };
}

type RenderedReply = Extract<WorkerReply, { ok: true }>;

async function synthesiseStack(worker: Worker, job: WorkerJob): Promise<RenderedReply> {
  await worker.ready;
  worker.child.send(job);
  const reply = await worker.reply;
  if (!reply.ok)
    throw new PlanFailure(`stack ${job.stack}: ${reply.message}`, reply.configProblems);
  return reply;
}

/** The DR stack's job, fed with the primary's outputs as its StackReference. */
function drJobFor(
  stackDir: string,
  primaryOutputs: Record<string, unknown>,
  earlier: PlanFile[],
): WorkerJob {
  const job = jobFor(stackDir, "dr", {}, earlier);
  const primaryStack = job.config[`${job.project}:primaryStack`];
  if (primaryStack) job.stackOutputs[primaryStack] = primaryOutputs;
  return job;
}

const stopAll = (workers: (Worker | undefined)[]) => {
  for (const w of workers) if (w && w.child.exitCode === null) w.child.kill();
};

/** Synthesises the stacks; the DR worker warms up while the primary runs. */
export async function synthesiseStacks(
  stacks: StackName[],
  stackDir = REPO_ROOT,
  earlier: PlanFile[] = [],
): Promise<Map<StackName, RenderedReply>> {
  const primaryWorker = startWorker();
  const drWorker = stacks.includes("dr") ? startWorker() : undefined;
  try {
    const plans = new Map<StackName, RenderedReply>();
    const primary = await synthesiseStack(primaryWorker, jobFor(stackDir, "primary", {}, earlier));
    plans.set("primary", primary);
    if (drWorker)
      plans.set(
        "dr",
        await synthesiseStack(drWorker, drJobFor(stackDir, primary.outputs, earlier)),
      );
    return plans;
  } finally {
    stopAll([primaryWorker, drWorker]);
  }
}

/**
 * The DR stack of each folder (e.g. the DR file and a promoted copy of it), all fed with one
 * synthesis of the primary in `primaryDir`, each in its own worker.
 */
export async function synthesiseDrVariants(
  stackDirs: string[],
  primaryDir = REPO_ROOT,
): Promise<RenderedReply[]> {
  const primaryWorker = startWorker();
  const drWorkers = stackDirs.map(() => startWorker());
  try {
    const primary = await synthesiseStack(primaryWorker, jobFor(primaryDir, "primary", {}, []));
    return await Promise.all(
      stackDirs.map((dir, i) => synthesiseStack(drWorkers[i]!, drJobFor(dir, primary.outputs, []))),
    );
  } finally {
    stopAll([primaryWorker, ...drWorkers]);
  }
}

function readPlanFile(file: string): PlanFile {
  const plan = JSON.parse(readFileSync(file, "utf8")) as PlanFile;
  if (plan.planVersion !== 1 || !Array.isArray(plan.resources))
    throw new PlanFailure(`${file} is not a vega-ha plan.json`);
  return plan;
}

export async function runPlan(options: PlanOptions): Promise<Map<StackName, RenderedReply>> {
  const earlier = options.diffFiles.map(readPlanFile);
  const plans = await synthesiseStacks(options.stacks, options.stackDir, earlier);
  for (const stack of options.stacks) options.log(plans.get(stack)!.report);
  // Nothing is written unless every stack planned.
  for (const stack of options.stacks) {
    const dir = path.join(options.outDir, stack);
    const files = plans.get(stack)!.files;
    rmSync(dir, { recursive: true, force: true });
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    options.log(
      `wrote ${path.relative(process.cwd(), dir) || dir}/ (${Object.keys(files).join(", ")})`,
    );
  }
  return plans;
}
