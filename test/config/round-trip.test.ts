/**
 * zod does not validate a default: a default the schema would refuse, or a pattern that refuses
 * a value as good as the default, goes unnoticed until a user writes that value. So the parsed
 * stack files, every default filled in, are given back as config: they must parse to themselves.
 * And every value checked against a pattern is checked whole: the same value with anything before
 * or after it is refused, on its own key.
 */
import { describe, expect, it } from "vitest";
import { configKey, parseStackConfig } from "../../config";
import { minimalPrimary, problemsOf } from "../harness/config";
import { stackRawConfig } from "../harness/stack-config";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const STACKS = {
  primary: () => stackRawConfig("primary"),
  "minimal primary": minimalPrimary,
  dr: () => stackRawConfig("dr"),
};

/** Every string value of a config, with its path. */
function stringLeaves(
  value: Json,
  path: (string | number)[] = [],
): [(string | number)[], string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function withLeaf(config: Json, path: (string | number)[], leaf: string): Record<string, any> {
  const copy = structuredClone(config) as Record<string, any>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path.at(-1)!] = leaf;
  return copy;
}

describe.each(Object.entries(STACKS))("the %s stack file, every default filled in", (_, raw) => {
  const parsed = JSON.parse(JSON.stringify(parseStackConfig(raw()))) as Json;

  it("parses to itself when given back as config", () => {
    expect(parseStackConfig(parsed as Record<string, unknown>)).toEqual(parsed);
  });

  it("refuses each pattern-checked value with anything before or after it, on its key", () => {
    const patternChecked = stringLeaves(parsed).filter(
      ([path]) => problemsOf(withLeaf(parsed, path, " ")).length > 0,
    );
    // Sanity: the patterns this is about (regions, ids, images, windows, prefixes...) are found.
    expect(patternChecked.length).toBeGreaterThan(20);
    // The refusal of a blank says what the key expects; junk around a good value must get the
    // same first refusal, from the pattern, not only a later check's (the RDS class table).
    const expectation = (problems: { key: string; message: string }[], key: string) =>
      problems.find((p) => p.key === key)?.message.replace(/, got [^]*$/, "");
    for (const [path, value] of patternChecked) {
      const key = configKey(path);
      const expected = expectation(problemsOf(withLeaf(parsed, path, " ")), key);
      for (const changed of [`x ${value}`, `${value} x`, `${value}\n`])
        expect(
          expectation(problemsOf(withLeaf(parsed, path, changed)), key),
          `${key} = ${JSON.stringify(changed)}`,
        ).toEqual(expected);
    }
  });
});
