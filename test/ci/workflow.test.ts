/**
 * The pull-request workflow: actionlint finds nothing in it (and does find what it should), its
 * structure holds what the README promises (pinned actions, OIDC only, least permissions), its
 * `run:` steps are the README's "Pull requests" commands, and its two shell scripts work
 * (shellcheck, and run against a stand-in `gh`).
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lintWorkflow, WORKFLOW_DIR } from "../../tools/lint-workflows";
import { ROOT } from "../harness";

const run = promisify(execFile);
const FILE = path.join(WORKFLOW_DIR, "pull-request.yml");
const text = readFileSync(FILE, "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

const tmp = mkdtempSync(path.join(tmpdir(), "vega-workflow-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The README's "Pull requests" commands: its first bash block. */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## Pull requests$/m)[1]?.split(/^## /m)[0] ?? "";
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no bash block under "## Pull requests"');
  return block.split("\n").filter((l) => l.trim() !== "");
}

describe("actionlint", () => {
  it("finds nothing in .github/workflows/pull-request.yml", async () => {
    expect(await lintWorkflow(text, "pull-request.yml")).toEqual([]);
  });

  it("does find an unknown permission scope and untrusted input in a script", async () => {
    const broken = text
      .replace("pull-requests: write", "pull-request: write")
      .replace('run: exit "$PLAN_EXIT"', "run: echo ${{ github.event.pull_request.title }}");
    const kinds = (await lintWorkflow(broken, "broken.yml")).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(["permissions", "expression"]));
  });
});

describe("the pull-request workflow", () => {
  it("runs on pull requests with read-only contents by default", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(Object.keys(workflow.jobs)).toEqual(["checks", "plan", "preview"]);
  });

  it("pins every action by full commit SHA, its version in a comment", () => {
    const uses = text.split("\n").filter((l) => /^\s*-?\s*uses:/.test(l));
    expect(uses.length).toBe(steps.filter((s) => s.uses).length);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+/);
  });

  it("runs .ci/run as root (so it installs the engines)", () => {
    expect(workflow.jobs.checks!.steps.map((s) => s.run).filter(Boolean)).toEqual([
      'sudo env "PATH=$PATH" CI=true bash .ci/run',
    ]);
  });

  it("plans head against base, comments, and fails after commenting on a mandatory violation", () => {
    const plan = workflow.jobs.plan!;
    expect(plan.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    const checkouts = plan.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.map((s) => s.with?.path)).toEqual(["head", "base"]);
    expect(checkouts[1]!.with?.ref).toBe("${{ github.event.pull_request.base.sha }}");
    const runs = plan.steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs.findIndex((r) => r.includes("sticky-comment.sh"))).toBeLessThan(
      runs.indexOf('exit "$PLAN_EXIT"'),
    );
  });

  it("previews with the policy pack only under an OIDC role, never with stored keys", () => {
    const preview = workflow.jobs.preview!;
    expect(preview.if).toBe("vars.AWS_ROLE_ARN != ''");
    expect(preview.permissions).toEqual({ contents: "read", "id-token": "write" });
    const aws = preview.steps.find((s) =>
      s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
    );
    expect(aws?.with?.["role-to-assume"]).toBe("${{ vars.AWS_ROLE_ARN }}");
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    for (const stack of ["primary", "dr"])
      expect(preview.steps.map((s) => s.run)).toContain(
        `pulumi preview --stack ${stack} --policy-pack policies --policy-pack-config policies/policy-config.json`,
      );
  });

  it("runs exactly the README's commands, in its order", () => {
    const runs = steps.flatMap((s) => (s.run ? s.run.split("\n").filter((l) => l.trim()) : []));
    expect(runs).toEqual(readmeCommands());
  });

  it("is linted and type-checked in .ci/run", () => {
    const ci = readFileSync(path.join(ROOT, ".ci/run"), "utf8");
    expect(ci).toMatch(/^npm run typecheck$/m);
    expect(ci).toMatch(/^npm run lint:workflows$/m);
  });
});

describe("the workflow's scripts", () => {
  const scripts = [".github/scripts/sticky-comment.sh", ".github/scripts/plan-comment.sh"];

  it("pass shellcheck", async () => {
    const { stdout } = await run("shellcheck", scripts, { cwd: ROOT });
    expect(stdout).toBe("");
  });

  /** sticky-comment.sh against a stand-in gh that answers `existing` and logs its calls. */
  async function sticky(existing: string): Promise<string[]> {
    const dir = path.join(tmp, `gh-${existing || "none"}`);
    mkdirSync(dir, { recursive: true });
    const log = path.join(dir, "calls");
    writeFileSync(
      path.join(dir, "gh"),
      `#!/bin/sh\nprintf '%s\\n--\\n' "$*" >> "${log}"\ncase "$*" in *--paginate*) printf '%s' "${existing}" ;; esac\n`,
    );
    chmodSync(path.join(dir, "gh"), 0o755);
    const body = path.join(dir, "comment.md");
    writeFileSync(body, "## plan\n");
    await run("bash", [path.join(ROOT, scripts[0]!), "42", body], {
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        GITHUB_REPOSITORY: "acme/vega-ha",
      },
    });
    return readFileSync(log, "utf8").split("\n--\n").slice(0, -1);
  }

  it("updates the marked comment when the pull request has one", async () => {
    const calls = await sticky("1234");
    expect(calls[0]).toMatch(/^api --paginate repos\/acme\/vega-ha\/issues\/42\/comments --jq /);
    expect(calls[1]).toMatch(
      /^api --method PATCH repos\/acme\/vega-ha\/issues\/comments\/1234 -f body=<!-- vega-ha:plan-comment -->\n## plan/,
    );
    expect(calls).toHaveLength(2);
  });

  it("posts a new comment otherwise", async () => {
    const calls = await sticky("");
    expect(calls[1]).toMatch(
      /^api --method POST repos\/acme\/vega-ha\/issues\/42\/comments -f body=/,
    );
  });

  it("builds the comment from both stacks' summaries, or the log when the plan wrote nothing", async () => {
    const out = path.join(tmp, "plans");
    for (const stack of ["primary", "dr"]) {
      mkdirSync(path.join(out, stack), { recursive: true });
      writeFileSync(path.join(out, stack, "summary.md"), `### ${stack} summary\n`);
    }
    writeFileSync(path.join(tmp, "plan.log"), "the log\n");
    const both = await run("bash", [path.join(ROOT, scripts[1]!), out, path.join(tmp, "plan.log")]);
    expect(both.stdout).toMatch(/### primary summary\n[\s\S]*### dr summary/);
    const none = await run("bash", [
      path.join(ROOT, scripts[1]!),
      path.join(tmp, "nothing"),
      path.join(tmp, "plan.log"),
    ]);
    expect(none.stdout).toContain("The plan wrote nothing. Its output:\n\n```\nthe log\n```");
  });
});
