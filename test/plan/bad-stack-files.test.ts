/**
 * Broken stack files, as a user would write them, through the real CLI: every one ends in exit 1
 * with the file and line (YAML) or the key named, no stack trace, and nothing written.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planCli, stackFilesIn, type CliResult, type StackFileEdits } from "./cli";

const tmp = mkdtempSync(path.join(tmpdir(), "vega-bad-stack-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Replaces the one line matching `find` (which must exist) by `replace(line)`. */
const editLine =
  (find: RegExp, replace: (line: string) => string) =>
  (text: string): string => {
    const lines = text.split("\n");
    const i = lines.findIndex((l) => find.test(l));
    if (i < 0) throw new Error(`no line matches ${find}`);
    lines[i] = replace(lines[i]!);
    return lines.join("\n");
  };

/** The 1-based line of the first line matching `find` in an edited stack file. */
const lineOf = (text: string, find: RegExp): number =>
  text.split("\n").findIndex((l) => find.test(l)) + 1;

interface Case {
  edits: StackFileEdits;
  dir: string;
  out: string;
  result: CliResult;
}

const CASES = {
  unclosedBracket: {
    primary: editLine(/^\s+privateSubnetIds: \[/, (l) => l.replace(/\]$/, "")),
  },
  duplicateKey: {
    primary: editLine(/^  vega-ha:environment:/, (l) => `${l}\n  vega-ha:environment: staging`),
  },
  tabIndentation: { dr: editLine(/^    network:/, (l) => l.replace(/^ {4}/, "\t")) },
  unknownRegion: { primary: editLine(/^  vega-ha:region:/, () => "  vega-ha:region: us-moon-7") },
  primaryFileSaysDr: {
    primary: editLine(
      /^  vega-ha:role:/,
      () => "  vega-ha:role: dr\n  vega-ha:primaryStack: acme/vega-ha/primary",
    ),
  },
  drFileSaysPrimary: {
    dr: (text: string) =>
      editLine(
        /^  vega-ha:role:/,
        () => "  vega-ha:role: primary",
      )(text)
        .split("\n")
        .filter((l) => !/^ {2}vega-ha:(promoted|primaryStack):/.test(l))
        .join("\n"),
  },
} satisfies Record<string, StackFileEdits>;

const cases = {} as Record<keyof typeof CASES, Case>;
beforeAll(async () => {
  await Promise.all(
    Object.entries(CASES).map(async ([name, edits]) => {
      const dir = stackFilesIn(path.join(tmp, name), edits);
      const out = path.join(tmp, `${name}-out`);
      mkdirSync(out);
      const result = await planCli(["--stack-dir", dir, "--out", out]);
      cases[name as keyof typeof CASES] = { edits, dir, out, result };
    }),
  );
}, 120_000);

const file = (c: Case, stack: "primary" | "dr") => path.join(c.dir, `Pulumi.${stack}.yaml`);
/** `<file>:<line>` of the first line matching `find` in the case's (edited) stack file. */
const at = (c: Case, stack: "primary" | "dr", find: RegExp) =>
  `${file(c, stack)}:${lineOf(readFileSync(file(c, stack), "utf8"), find)}`;

describe.each(Object.keys(CASES) as (keyof typeof CASES)[])("npm run plan with %s", (name) => {
  it("exits 1 with a message, not a stack trace, and writes nothing", () => {
    const { result, out } = cases[name];
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^plan failed, nothing written\./);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe("what each refusal names", () => {
  it("an unclosed bracket: the file, and a line at or after the bracket with the text there", () => {
    const c = cases.unclosedBracket;
    const bracket = lineOf(readFileSync(file(c, "primary"), "utf8"), /privateSubnetIds: \[/);
    const [, line] = c.result.stderr.match(/Pulumi\.primary\.yaml:(\d+):\d+: .*\]/) ?? [];
    expect(Number(line)).toBeGreaterThanOrEqual(bracket);
    expect(Number(line)).toBeLessThanOrEqual(bracket + 1);
    expect(c.result.stderr).toContain(`${file(c, "primary")}:${line}:`);
    expect(c.result.stderr).toContain("privateSubnetIds: [");
  });

  it("a duplicate key: the file and the line of the second occurrence", () => {
    const c = cases.duplicateKey;
    expect(c.result.stderr).toContain(
      `${at(c, "primary", /vega-ha:environment: staging/)}:3: Map keys must be unique`,
    );
  });

  it("tab indentation: the file and the line of the tab", () => {
    const c = cases.tabIndentation;
    expect(c.result.stderr).toContain(`${at(c, "dr", /^\t/)}:1: Tabs are not allowed`);
  });

  it("a region the AWS provider does not know: the key, the value, its file and line", () => {
    const c = cases.unknownRegion;
    expect(c.result.stderr).toMatch(
      /stack primary: .*\n\s+vega-ha:region: expected an AWS region .*, got "us-moon-7"/,
    );
    expect(c.result.stderr).toContain(`"us-moon-7" (${at(c, "primary", /us-moon-7/)})`);
  });

  it("a primary file that says role dr: the key, its file and line", () => {
    const c = cases.primaryFileSaysDr;
    expect(c.result.stderr).toContain(
      `${at(c, "primary", /vega-ha:role:/)}: vega-ha:role: expected "primary"`,
    );
    expect(c.result.stderr).toContain('got "dr"');
  });

  it("a DR file that says role primary: both stacks claim PRIMARY, with the key in each file", () => {
    const c = cases.drFileSaysPrimary;
    expect(c.result.stderr).toMatch(/stacks primary and dr both claim the PRIMARY failover record/);
    for (const stack of ["primary", "dr"] as const)
      expect(c.result.stderr).toContain(
        `${stack}: vega-ha:role at ${at(c, stack, /vega-ha:role:/)}`,
      );
  });
});
