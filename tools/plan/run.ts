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
import { displayPath, readProjectName, readStackFile, StackFileError } from "../synth/stack-file";
import { failoverRoleConflicts } from "./failover-roles";
import type { PolicyViolation } from "../../policies/runner";
import type { PlanFile, WorkerJob, WorkerReply } from "./protocol";
import { formatViolation } from "./violations";

export const STACKS = ["primary", "dr"] as const;
/** The project's program, as Pulumi.yaml's `main` names it. */
export const PROGRAM = path.join(REPO_ROOT, "index.ts");
export type StackName = (typeof STACKS)[number];
/**
 * The policy pack's config, the file `pulumi preview --policy-pack-config` is given in pull
 * requests: the plan enforces the same levels and limits (policies/config.ts).
 */
export const POLICY_CONFIG = path.join(REPO_ROOT, "policies", "policy-config.json");

export interface PlanOptions {
  /** Stacks to write; the primary is always synthesised (the DR stack reads its outputs). */
  stacks: StackName[];
  /** Earlier plan.json files to diff against (matched by their `stack`). */
  diffFiles: string[];
  /** Output folder. Default <repo>/out. */
  outDir: string;
  /** Folder holding Pulumi.yaml and Pulumi.<stack>.yaml. Default the repository root. */
  stackDir?: string;
  /** The program to synthesise. Default the project's index.ts (PROGRAM). */
  program?: string;
  /** The policy pack's config file. Default policies/policy-config.json (POLICY_CONFIG). */
  policyConfigFile?: string;
  /** Print to stdout. */
  log: (line: string) => void;
}

/** The plan was written, but mandatory policy violations block it (as they fail a preview). */
export class PolicyBlocked extends Error {
  constructor(readonly violations: PolicyViolation[]) {
    super(
      [
        `${violations.length} mandatory policy violation${violations.length === 1 ? "" : "s"} (policies/policy-config.json sets the levels):`,
        ...violations.map(formatViolation),
      ].join("\n"),
    );
  }
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

/** A stack file read for the plan: the worker's job, and where its keys are (for messages). */
interface StackFile {
  job: WorkerJob;
  file: string;
  lines: Record<string, number>;
}

/** What every stack's job shares: the program and the policy config. */
interface SharedJob {
  program: string;
  policyConfig: unknown;
  policyConfigFile: string;
}

function readStack(
  stackDir: string,
  shared: SharedJob,
  stack: StackName,
  earlier: PlanFile[],
): StackFile {
  const project = readProjectName(path.join(stackDir, "Pulumi.yaml"));
  const file = path.join(stackDir, `Pulumi.${stack}.yaml`);
  const { config, secretKeys, lines } = readStackFile(file, project);
  const job: WorkerJob = {
    project,
    stack,
    ...shared,
    config,
    secretKeys,
    stackOutputs: {},
    earlier: earlier.find((p) => p.stack === stack),
  };
  return { job, file, lines };
}

/**
 * `Pulumi.dr.yaml:3` for a key set in the file; for a key that is not (a missing required key),
 * the line of its nearest enclosing key; the file alone when none is set.
 */
function whereIs(stackFile: StackFile, key: string): string {
  for (let k = key; k; k = k.replace(/(\.[^.[]*|\[\d+\])$|^[^.[]*$/, "")) {
    const line = stackFile.lines[k];
    if (line) return `${displayPath(stackFile.file)}:${line}`;
  }
  return displayPath(stackFile.file);
}

/**
 * Reads every stack file the plan needs before any worker starts: YAML errors of all files at
 * once, with file and line. The primary file must declare the primary role: the DR stack reads
 * its outputs as the primary's, and a DR role there has no primary to read.
 */
function readStacks(
  stackDir: string,
  shared: SharedJob,
  stacks: StackName[],
  earlier: PlanFile[],
): Map<StackName, StackFile> {
  const read = new Map<StackName, StackFile>();
  const yamlProblems: string[] = [];
  for (const stack of STACKS.filter((s) => s === "primary" || stacks.includes(s))) {
    try {
      read.set(stack, readStack(stackDir, shared, stack, earlier));
    } catch (err) {
      if (!(err instanceof StackFileError)) throw err;
      yamlProblems.push(err.message);
    }
  }
  if (yamlProblems.length > 0)
    throw new PlanFailure(`not valid YAML:\n${[...new Set(yamlProblems)].join("\n")}`);
  const primary = read.get("primary")!;
  const roleKey = `${primary.job.project}:role`;
  const role = primary.job.config[roleKey];
  if (role !== undefined && role !== "primary")
    throw new PlanFailure(
      `${whereIs(primary, roleKey)}: ${roleKey}: expected "primary" in the primary stack's file (the DR stack reads this stack's outputs as the primary's), got ${JSON.stringify(role)}`,
    );
  return read;
}

type RenderedReply = Extract<WorkerReply, { ok: true }>;

async function synthesiseStack(worker: Worker, stackFile: StackFile): Promise<RenderedReply> {
  const { job } = stackFile;
  await worker.ready;
  worker.child.send(job);
  const reply = await worker.reply;
  if (!reply.ok && reply.configProblems?.length) {
    const problems = reply.configProblems;
    throw new PlanFailure(
      [
        `stack ${job.stack}: invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):`,
        ...problems.map((p) => `  ${p.key}: ${p.message} (${whereIs(stackFile, p.key)})`),
      ].join("\n"),
      problems,
    );
  }
  if (!reply.ok) throw new PlanFailure(`stack ${job.stack}: ${reply.message}`);
  return reply;
}

/** The DR stack file, its StackReference fed with the primary's outputs. */
function fedWith(dr: StackFile, primaryOutputs: Record<string, unknown>): StackFile {
  const primaryStack = dr.job.config[`${dr.job.project}:primaryStack`];
  if (primaryStack) dr.job.stackOutputs[primaryStack] = primaryOutputs;
  return dr;
}

const stopAll = (workers: (Worker | undefined)[]) => {
  for (const w of workers) if (w && w.child.exitCode === null) w.child.kill();
};

/** Synthesises the stacks; the DR worker warms up while the primary runs. */
export async function synthesiseStacks(
  stacks: StackName[],
  stackDir = REPO_ROOT,
  earlier: PlanFile[] = [],
  program = PROGRAM,
  policyConfigFile = POLICY_CONFIG,
): Promise<Map<StackName, RenderedReply>> {
  const shared = sharedJob(program, policyConfigFile);
  const files = readStacks(stackDir, shared, stacks, earlier);
  const primaryWorker = startWorker();
  const drWorker = stacks.includes("dr") ? startWorker() : undefined;
  try {
    const plans = new Map<StackName, RenderedReply>();
    const primary = await synthesiseStack(primaryWorker, files.get("primary")!);
    plans.set("primary", primary);
    if (drWorker)
      plans.set("dr", await synthesiseStack(drWorker, fedWith(files.get("dr")!, primary.outputs)));
    const conflicts = failoverRoleConflicts(
      [...plans].map(([stack, plan]) => {
        const file = files.get(stack)!;
        const roleKey = `${file.job.project}:role`;
        return { stack, roleKey, roleAt: whereIs(file, roleKey), claims: plan.failoverClaims };
      }),
    );
    if (conflicts.length > 0) throw new PlanFailure(conflicts.join("\n"));
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
  program = PROGRAM,
  policyConfigFile = POLICY_CONFIG,
): Promise<RenderedReply[]> {
  const shared = sharedJob(program, policyConfigFile);
  const primaryFile = readStacks(primaryDir, shared, ["primary"], []).get("primary")!;
  const drFiles = stackDirs.map((dir) => readStacks(dir, shared, ["dr"], []).get("dr")!);
  const primaryWorker = startWorker();
  const drWorkers = drFiles.map(() => startWorker());
  try {
    const primary = await synthesiseStack(primaryWorker, primaryFile);
    return await Promise.all(
      drFiles.map((file, i) => synthesiseStack(drWorkers[i]!, fedWith(file, primary.outputs))),
    );
  } finally {
    stopAll([primaryWorker, ...drWorkers]);
  }
}

function sharedJob(program: string, policyConfigFile: string): SharedJob {
  return { program, policyConfigFile, policyConfig: readPolicyConfig(policyConfigFile) };
}

/** The policy config file as JSON; the workers check it against the rules. */
function readPolicyConfig(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new PlanFailure(`${displayPath(file)}: cannot read the policy config (${String(err)})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PlanFailure(`${displayPath(file)}: not valid JSON: ${(err as Error).message}`);
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
  const plans = await synthesiseStacks(
    options.stacks,
    options.stackDir,
    earlier,
    options.program,
    options.policyConfigFile,
  );
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
  // Written first: summary.md shows the violations in the pull request that has them.
  const blocked = options.stacks.flatMap((stack) => plans.get(stack)!.blocking);
  if (blocked.length > 0) throw new PolicyBlocked(blocked);
  return plans;
}
