/**
 * `npm run mutation:scores [-- report.json ...]`: the mutation score per folder, as a Markdown
 * table, from StrykerJS JSON reports (default reports/mutation/*.json; a later report's file
 * replaces an earlier one's, so per-folder runs combine). Folders are the top folders, and
 * components/ per area. Score = detected / (detected + undetected), as Stryker computes it:
 * detected = killed + timeout, undetected = survived + no coverage; compile and runtime errors
 * and ignored mutants are not counted.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";

interface Report {
  files: Record<string, { mutants: { status: string }[] }>;
}

export interface FolderScore {
  folder: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  ignored: number;
  errors: number;
}

/** The folder a mutated file is scored under: `config`, `policies`, `components/<area>`. */
export function folderOf(file: string): string {
  const parts = path.relative(REPO_ROOT, path.resolve(REPO_ROOT, file)).split(path.sep);
  return parts[0] === "components" && parts.length > 2 ? `components/${parts[1]}` : parts[0]!;
}

export function score(s: FolderScore): number | undefined {
  const detected = s.killed + s.timeout;
  const valid = detected + s.survived + s.noCoverage;
  return valid === 0 ? undefined : (100 * detected) / valid;
}

/** Per-folder counts over reports, a later report's file replacing an earlier one's. */
export function folderScores(reports: Report[]): FolderScore[] {
  const files = new Map<string, { status: string }[]>();
  for (const r of reports) {
    for (const [file, { mutants }] of Object.entries(r.files)) files.set(file, mutants);
  }
  const folders = new Map<string, FolderScore>();
  for (const [file, mutants] of files) {
    const folder = folderOf(file);
    const s = folders.get(folder) ?? {
      folder,
      killed: 0,
      timeout: 0,
      survived: 0,
      noCoverage: 0,
      ignored: 0,
      errors: 0,
    };
    for (const { status } of mutants) {
      if (status === "Killed") s.killed++;
      else if (status === "Timeout") s.timeout++;
      else if (status === "Survived") s.survived++;
      else if (status === "NoCoverage") s.noCoverage++;
      else if (status === "Ignored") s.ignored++;
      else s.errors++;
    }
    folders.set(folder, s);
  }
  return [...folders.values()].sort((a, b) => a.folder.localeCompare(b.folder));
}

export function markdownTable(scores: FolderScore[], bar = 85): string {
  const pct = (s: FolderScore) => {
    const v = score(s);
    return v === undefined ? "n/a" : `${v.toFixed(1)} %`;
  };
  const total = scores.reduce(
    (t, s) => ({
      ...t,
      killed: t.killed + s.killed,
      timeout: t.timeout + s.timeout,
      survived: t.survived + s.survived,
      noCoverage: t.noCoverage + s.noCoverage,
      ignored: t.ignored + s.ignored,
      errors: t.errors + s.errors,
    }),
    { folder: "total", killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 },
  );
  const row = (s: FolderScore, name: string) =>
    `| ${name} | ${pct(s)} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} | ${s.ignored} | ${
      (score(s) ?? 0) >= bar ? "yes" : "no"
    } |`;
  return [
    `| folder | score | killed | timeout | survived | no coverage | ignored | ≥ ${bar} % |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...scores.map((s) => row(s, `\`${s.folder}/\``)),
    row(total, "**total**"),
  ].join("\n");
}

function main(args: string[]): number {
  const dir = path.join(REPO_ROOT, "reports", "mutation");
  const inputs =
    args.length > 0
      ? args
      : existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .sort()
            .map((f) => path.join(dir, f))
        : [];
  if (inputs.length === 0) {
    console.error("no report: run `npm run test:mutation` first (reports/mutation/*.json)");
    return 1;
  }
  const reports = inputs.map((f) => JSON.parse(readFileSync(f, "utf8")) as Report);
  console.log(markdownTable(folderScores(reports)));
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
