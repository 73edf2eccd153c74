/**
 * The three real stacks the pack must pass, each synthesised in a child process of its own (so
 * one test file can hold them all): the primary, the DR stack fed with the primary's real
 * outputs, and the same DR stack promoted (seed 16.3 region failover).
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import type { RecordedResource } from "../../components/core/plan";
import { ROOT, stackFileConfig } from "../harness";
import { cachedSynthesis } from "../harness/synthesis-cache";
import type { SynthJob, SynthReply } from "./support/synth-stack-child";

export const STACK_KINDS = ["primary", "dr", "promoted-dr"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** At most this long per stack: a hung child is killed and fails the test. */
const SYNTH_TIMEOUT_MS = 120_000;

type Synthesis = Extract<SynthReply, { ok: true }>;

/** One stack, synthesised in a child (or, in the mutation suite only, from its cache). */
export function synthInChild(job: SynthJob): Promise<Synthesis> {
  const options = {
    enabled: process.env.VEGA_SYNTHESIS_CACHE === "1",
    root: ROOT,
    job,
    mutant: process.env.__STRYKER_ACTIVE_MUTANT__,
  };
  return cachedSynthesis(options, () => synthesiseInChild(job));
}

function synthesiseInChild(job: SynthJob): Promise<Synthesis> {
  const child = fork(path.join(__dirname, "support/synth-stack-child.ts"), [], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${job.stack}: no answer within ${SYNTH_TIMEOUT_MS} ms\n${stderr}`));
    }, SYNTH_TIMEOUT_MS);
    child.once("message", (reply: SynthReply) => {
      clearTimeout(timer);
      if (reply.ok) resolve(reply);
      else reject(new Error(`${job.stack}: ${reply.error}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${job.stack}: exited with ${code} before answering\n${stderr}`));
    });
    child.send(job);
  });
}

export interface RealStack {
  resources: RecordedResource[];
  /** The stack outputs, resolved (secrets plain, as a reader of the stack would decrypt them). */
  outputs: Record<string, unknown>;
}

/** The primary, DR and promoted-DR stacks: recorded resources and outputs. */
export async function synthRealStacksWithOutputs(): Promise<Record<StackKind, RealStack>> {
  const primary = await synthInChild({ stack: "primary", override: {}, stackOutputs: {} });
  const { config, project } = stackFileConfig("dr");
  const stackOutputs = { [config[`${project}:primaryStack`]!]: primary.outputs };
  const [dr, promoted] = await Promise.all([
    synthInChild({ stack: "dr", override: {}, stackOutputs }),
    synthInChild({ stack: "dr", override: { [`${project}:promoted`]: "true" }, stackOutputs }),
  ]);
  const of = (s: Synthesis) => ({
    resources: s.resources,
    outputs: s.outputs,
  });
  return { primary: of(primary), dr: of(dr), "promoted-dr": of(promoted) };
}

/** The recorded resources of the primary, DR and promoted-DR stacks. */
export async function synthRealStacks(): Promise<Record<StackKind, RecordedResource[]>> {
  const s = await synthRealStacksWithOutputs();
  return {
    primary: s.primary.resources,
    dr: s.dr.resources,
    "promoted-dr": s["promoted-dr"].resources,
  };
}
