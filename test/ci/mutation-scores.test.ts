/** The per-folder table printed from StrykerJS JSON reports (tools/mutation-scores.ts). */
import { describe, expect, it } from "vitest";
import { folderOf, folderScores, markdownTable, score } from "../../tools/mutation-scores";

const mutants = (...statuses: string[]) => ({ mutants: statuses.map((status) => ({ status })) });

describe("mutation scores", () => {
  it("groups by top folder, and components/ by area", () => {
    expect(folderOf("config/edge.ts")).toBe("config");
    expect(folderOf("policies/backup.ts")).toBe("policies");
    expect(folderOf("components/backup/vault.ts")).toBe("components/backup");
  });

  it("scores detected over valid mutants: errors and ignored ones do not count", () => {
    const [s] = folderScores([
      {
        files: {
          "config/a.ts": mutants("Killed", "Timeout", "Survived", "NoCoverage"),
          "config/b.ts": mutants("Ignored", "RuntimeError", "CompileError", "Killed"),
        },
      },
    ]);
    expect(s).toMatchObject({ folder: "config", killed: 2, timeout: 1, survived: 1 });
    expect(score(s!)).toBe(60);
  });

  it("lets a later report's file replace an earlier one's (per-folder runs combine)", () => {
    const scores = folderScores([
      { files: { "config/a.ts": mutants("Survived") } },
      { files: { "config/a.ts": mutants("Killed"), "policies/p.ts": mutants("Survived") } },
    ]);
    expect(scores.map((s) => [s.folder, score(s)])).toEqual([
      ["config", 100],
      ["policies", 0],
    ]);
  });

  it("prints a Markdown row per folder, a total, and whether each reaches the bar", () => {
    const table = markdownTable(
      folderScores([
        {
          files: {
            "config/a.ts": mutants("Killed", "Killed", "Killed", "Killed", "Killed", "Survived"),
            "policies/p.ts": mutants("Killed", "Killed", "Killed", "Killed", "Killed", "Killed"),
          },
        },
      ]),
      85,
    ).split("\n");
    expect(table[0]).toMatch(/^\| folder \| score \|.*\| ≥ 85 % \|$/);
    expect(table.slice(2)).toEqual([
      "| `config/` | 83.3 % | 5 | 0 | 1 | 0 | 0 | no |",
      "| `policies/` | 100.0 % | 6 | 0 | 0 | 0 | 0 | yes |",
      "| **total** | 91.7 % | 11 | 0 | 1 | 0 | 0 | yes |",
    ]);
  });
});
