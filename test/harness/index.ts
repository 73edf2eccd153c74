/**
 * Test harness: synthesise a component or a whole stack under recording mocks and query what
 * was registered. Await everything; never assert inside apply.
 */
import { synthesize, type SynthOptions, type SynthResult } from "../../tools/synth/recorder";
import type { RecordedResource } from "../../components/core/plan";
import type { StackOutputs } from "../../config";
import { examplePrimaryOutputs, stackFileConfig } from "./stack-config";

export { REDACTED, type RecordedResource } from "../../components/core/plan";
export * from "./stack-config";

/** Query helpers over a synthesis result. */
export class Synth {
  constructor(readonly result: SynthResult) {}

  get resources(): RecordedResource[] {
    return this.result.resources;
  }

  get outputs(): Record<string, any> {
    return this.result.outputs;
  }

  /** All resources of a type token (e.g. "aws:s3/bucket:Bucket"). */
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of that type whose name ends with `suffix`; throws when not exactly one. */
  one(type: string, suffix = ""): RecordedResource {
    const found = this.ofType(type).filter((r) => r.name.endsWith(suffix));
    if (found.length !== 1) {
      throw new Error(
        `expected one ${type} named *${suffix}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
      );
    }
    return found[0]!;
  }

  byUrn(urn: string | undefined): RecordedResource | undefined {
    return urn === undefined ? undefined : this.resources.find((r) => r.urn === urn);
  }

  /** The parent resource of `r`. */
  parentOf(r: RecordedResource): RecordedResource | undefined {
    return this.byUrn(r.parent);
  }

  /** Direct children of a resource. */
  childrenOf(r: RecordedResource): RecordedResource[] {
    return this.resources.filter((c) => c.parent === r.urn);
  }

  /**
   * The roles of a component's direct children, sorted: each child is named
   * `<component>-<role>` (awsx's convention), and one that is not fails here, by name.
   */
  childRoles(component: RecordedResource): string[] {
    const prefix = `${component.name}-`;
    return this.childrenOf(component)
      .map((c) => {
        if (!c.name.startsWith(prefix))
          throw new Error(`${c.name} (${c.type}) is not named ${prefix}<role>`);
        return c.name.slice(prefix.length);
      })
      .sort();
  }
}

/** Synthesises an arbitrary program (e.g. one component) under recording mocks. */
export async function synth(
  program: () => unknown,
  options: Partial<SynthOptions> = {},
): Promise<Synth> {
  return new Synth(await synthesize(program, { project: "vega-ha", stack: "test", ...options }));
}

/**
 * Synthesises a program that must fail while Pulumi serialises an input (an error thrown in an
 * `apply`, e.g. a check against the primary's contract). Pulumi reports those as unhandled
 * rejections, as `pulumi up` does (its language host prints them and exits 1): they are
 * collected here instead of failing the test run, and returned.
 */
export async function synthFailures(
  program: () => unknown,
  options: Partial<SynthOptions> = {},
): Promise<Error[]> {
  const failures: Error[] = [];
  const previous = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", (reason) => failures.push(reason as Error));
  try {
    // The synthesis fails with the first of them too: count it once.
    await synth(program, options).catch(
      (err: Error) => failures.includes(err) || failures.push(err),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.removeAllListeners("unhandledRejection");
    for (const listener of previous) process.on("unhandledRejection", listener);
  }
  return failures;
}

/**
 * Synthesises the real program (index.ts) for a stack from its real config file. Use once per
 * test file: the runtime is global to the process.
 */
export async function synthStack(
  stack: "primary" | "dr",
  options: { override?: Record<string, string>; stackOutputs?: SynthOptions["stackOutputs"] } = {},
): Promise<Synth> {
  const { project, config, secretKeys } = stackFileConfig(stack);
  return synth(() => import("../../index.js"), {
    project,
    stack,
    config: { ...config, ...options.override },
    secretKeys,
    stackOutputs: options.stackOutputs,
  });
}

/** Synthesises the DR stack fed with `examplePrimaryOutputs()` (or the given ones). */
export function synthDr(
  options: { override?: Record<string, string>; primary?: StackOutputs } = {},
): Promise<Synth> {
  const { config, project } = stackFileConfig("dr");
  const primaryStack = config[`${project}:primaryStack`]!;
  return synthStack("dr", {
    override: options.override,
    stackOutputs: { [primaryStack]: options.primary ?? examplePrimaryOutputs() },
  });
}
