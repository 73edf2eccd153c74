/**
 * No secret in a plain stack output (issue 13, security), checked here rather than by a rule.
 * The policy API cannot express it: the engine hands rules every value with secrets unwrapped,
 * no marker (@pulumi/policy 1.21 deserialises with proxySecrets false; policies/runner.ts), so a
 * rule cannot tell a secret output from a plain one; and the offline plan records the root
 * `pulumi:pulumi:Stack` resource with no properties, so a stack rule run there would see no
 * outputs at all. Instead this test looks at the outputs of the real primary, DR and promoted-DR
 * stacks: none may carry a value the stack keeps as a secret (a password, a secret string, a
 * kubeconfig), which `pulumi stack output` or a StackReference reader would get in clear.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../components/core/plan";
import { STACK_KINDS, synthRealStacksWithOutputs, type RealStack, type StackKind } from "./stacks";

/** Secret paths that hold a credential (a Secret's PGHOST or PGPORT is secret only by company). */
const CREDENTIAL_PATH = /password|passwd|secret|token|kubeconfig|key$/i;
/** Shorter values (a port, "require") would match ordinary outputs by accident. */
const MIN_LENGTH = 8;

function valueAt(props: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], props);
}

/** The credential values a stack keeps as secrets, by where they are. */
function credentialsOf(resources: RecordedResource[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const r of resources)
    for (const path of r.secretPaths.filter((p) => CREDENTIAL_PATH.test(p))) {
      const value = valueAt(r.plainInputs, path);
      if (typeof value === "string" && value.length >= MIN_LENGTH)
        found.set(`${r.name} ${path}`, value);
    }
  return found;
}

/** Where in the outputs a credential appears: "<output path>: <secret's place>". */
function leaks(outputs: unknown, credentials: Map<string, string>, at = ""): string[] {
  if (typeof outputs === "string")
    return [...credentials]
      .filter(([, v]) => outputs.includes(v))
      .map(([where]) => `${at}: ${where}`);
  if (outputs && typeof outputs === "object")
    return Object.entries(outputs).flatMap(([k, v]) =>
      leaks(v, credentials, at ? `${at}.${k}` : k),
    );
  return [];
}

let stacks: Record<StackKind, RealStack>;
beforeAll(async () => {
  stacks = await synthRealStacksWithOutputs();
}, 300_000);

describe("stack outputs", () => {
  it.each(STACK_KINDS)("%s exports no credential the stack keeps secret", (kind) => {
    const credentials = credentialsOf(stacks[kind].resources);
    // The check has something to look for: the Redis password at least, in every stack.
    expect([...credentials.keys()].some((k) => k.includes("redis-auth"))).toBe(true);
    expect(leaks(stacks[kind].outputs, credentials)).toEqual([]);
  });

  it("would catch a credential copied into an output", () => {
    const { resources, outputs } = stacks.primary;
    const credentials = credentialsOf(resources);
    const [where, password] = [...credentials].find(([k]) => k.includes("redis-auth"))!;
    const leaky = {
      ...outputs,
      redis: { ...(outputs.redis as object), url: `redis://:${password}@host` },
    };
    expect(leaks(leaky, credentials)).toEqual([`redis.url: ${where}`]);
  });
});
