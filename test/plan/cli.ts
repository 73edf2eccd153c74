/** Running the plan CLI as a user does (`tsx tools/plan.ts`), on copies of the stack files. */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../harness";

const run = promisify(execFile);
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run plan -- <args>`, from the repository root. */
export async function planCli(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(TSX, [path.join(ROOT, "tools/plan.ts"), ...args], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code ?? 1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

/** Text edits of a stack file's content, by stack. */
export type StackFileEdits = Partial<Record<"primary" | "dr", (text: string) => string>>;

/** `dir` (emptied first) holding Pulumi.yaml and both stack files of the repository, edited. */
export function stackFilesIn(dir: string, edits: StackFileEdits = {}): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const stack of ["primary", "dr"] as const) {
    const text = readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
    writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), (edits[stack] ?? ((t) => t))(text));
  }
  return dir;
}
