/** The logical-backup scripts are shellcheck-clean (shellcheck is an engine: CI=true requires it). */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCRIPT_FILES, SCRIPTS_SOURCE_DIR } from "../../components/postgres";
import { engineSuite } from "../harness/engines";

const present = spawnSync("sh", ["-c", "command -v shellcheck"]).status === 0;
const { skip, title } = engineSuite(
  "postgres scripts",
  present ? [] : ["shellcheck"],
  "apt-get install shellcheck",
);

describe.skipIf(skip)(title, () => {
  it("ships every script in the folder, and only those", () => {
    expect(readdirSync(SCRIPTS_SOURCE_DIR).sort()).toEqual([...SCRIPT_FILES].sort());
  });

  it("are shellcheck-clean, following the sourced lib.sh", () => {
    expect(present, "shellcheck on PATH").toBe(true);
    const r = spawnSync("shellcheck", ["-x", "--severity=style", ...SCRIPT_FILES], {
      cwd: SCRIPTS_SOURCE_DIR,
      encoding: "utf8",
    });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("stop at the first failing command (set -euo pipefail)", () => {
    for (const f of SCRIPT_FILES.filter((f) => f !== "lib.sh")) {
      const r = spawnSync("grep", ["-c", "^set -euo pipefail$", f], {
        cwd: SCRIPTS_SOURCE_DIR,
        encoding: "utf8",
      });
      expect(r.stdout.trim(), f).toBe("1");
    }
  });
});
