/**
 * The weekly mutation workflow: actionlint finds nothing, its matrix covers every folder that
 * stryker.config.mjs mutates (a new component area or config file is not silently left out), and
 * it runs the README's command.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lintWorkflow, WORKFLOW_DIR } from "../../tools/lint-workflows";
import { ROOT } from "../harness";

const FILE = path.join(WORKFLOW_DIR, "mutation.yml");
const text = readFileSync(FILE, "utf8");
const workflow = parse(text) as {
  on: Record<string, unknown>;
  jobs: Record<string, { strategy?: { matrix: { folder: string[] } }; steps: { run?: string }[] }>;
};

describe("the mutation workflow", () => {
  it("is actionlint-clean", async () => {
    expect(await lintWorkflow(text, "mutation.yml")).toEqual([]);
  });

  it("runs weekly and on demand", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
  });

  it("has a job for every config file, every component area and the policies", () => {
    const folders = workflow.jobs.stryker!.strategy!.matrix.folder;
    const expected = [
      ...readdirSync(path.join(ROOT, "config"))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => `config/${f}`),
      ...readdirSync(path.join(ROOT, "components"), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `components/${d.name}`),
      "policies",
    ];
    expect([...folders].sort()).toEqual(expected.sort());
  });

  it("runs `npm run test:mutation` and prints `npm run mutation:scores`", () => {
    const runs = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
    expect(runs.some((r) => r.startsWith("npm run test:mutation"))).toBe(true);
    expect(runs.some((r) => r.includes("npm run --silent mutation:scores"))).toBe(true);
  });
});
