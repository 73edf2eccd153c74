/**
 * An Output used where a string was expected (a template literal, `+`, JSON.stringify) does not
 * fail a Pulumi program: the SDK substitutes its warning text, which then ships as the value
 * (an IAM role description, a tag, a policy document). The plan refuses any recorded input that
 * carries that text.
 */
import type { RecordedResource } from "../../components/core/plan";

/** The start of the text @pulumi/pulumi (output.js) puts in place of the value. */
const OUTPUT_AS_TEXT = /Calling \[to(?:String|JSON)\] on an \[Output<T>\]/;

export interface OutputTextProblem {
  urn: string;
  /** Input path in the plan's notation, e.g. `description` or `rules[0].filter.prefix`. */
  path: string;
}

function walk(value: unknown, path: string, found: string[]): void {
  if (typeof value === "string") {
    if (OUTPUT_AS_TEXT.test(value)) found.push(path || "(root)");
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}[${i}]`, found));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, found);
  }
}

/** Every input (of every resource) that is an Output's warning text instead of a value. */
export function outputTextProblems(
  resources: readonly Pick<RecordedResource, "urn" | "inputs">[],
): OutputTextProblem[] {
  return resources.flatMap((r) => {
    const paths: string[] = [];
    walk(r.inputs, "", paths);
    return paths.map((path) => ({ urn: r.urn, path }));
  });
}

/** The plan's error (the plan prefixes the stack): each resource URN and input path, and the fix. */
export function formatOutputTextProblems(problems: OutputTextProblem[]): string {
  return [
    `${problems.length} input(s) hold Pulumi's "Calling [toString] on an [Output<T>]" text instead of a value (an Output used as a string; build it with pulumi.interpolate or apply):`,
    ...problems.map((p) => `  ${p.urn}: input ${p.path}`),
  ].join("\n");
}
