/** `npm run dr` through the real CLI on a machine without Pulumi CLI and AWS credentials. */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../harness";

const run = promisify(execFile);
const home = mkdtempSync(path.join(tmpdir(), "vega-dr-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function dr(args: string[]) {
  // No AWS variables, an empty home (no ~/.aws, no ~/.pulumi), no instance metadata, and a PATH
  // with node alone: what an operator's machine without credentials looks like.
  const env = {
    PATH: path.dirname(process.execPath),
    HOME: home,
    AWS_EC2_METADATA_DISABLED: "true",
  };
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "tools/dr.ts"), ...args],
      { cwd: ROOT, env },
    );
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
  }
}

describe("npm run dr without credentials", () => {
  it("failover explains what it needs and exits non-zero", async () => {
    const result = await dr(["failover", "--confirm"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("npm run dr -- failover cannot run here; it needs:");
    expect(result.stderr).toContain("the Pulumi CLI on PATH");
    expect(result.stderr).toContain("AWS credentials");
    expect(result.stderr).toContain("us-east-1");
  }, 30_000);

  it("an unknown command prints the usage and exits 2", async () => {
    const result = await dr(["promote"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("usage: npm run dr --");
  }, 30_000);
});
