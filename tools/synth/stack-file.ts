import { readFileSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { REDACTED } from "../../components/core/plan";

export interface StackFileConfig {
  /** Full keys (`project:key`) to Pulumi's string encoding of the value. */
  config: Record<string, string>;
  /** Keys whose value is a secret (`secure:` in the file); their values are placeholders. */
  secretKeys: string[];
  /**
   * The line (1-based) of every key and list item in the file, by full key in the config's
   * notation (`vega-ha:backup.retention.metadataDailyDays`, `vega-ha:tags`, `...Ids[0]`).
   */
  lines: Record<string, number>;
}

/** One syntax problem in a YAML file, where the parser found it. */
export interface YamlProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The lines around it with a caret, as the parser shows them. */
  excerpt: string;
}

/** A file as messages name it: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

/** A stack or project file that is not valid YAML: every problem with its file and line. */
export class StackFileError extends Error {
  constructor(readonly problems: YamlProblem[]) {
    super(
      problems
        .map((p) =>
          `${displayPath(p.file)}:${p.line}:${p.column}: ${p.message}\n${p.excerpt}`.trimEnd(),
        )
        .join("\n"),
    );
    this.name = "StackFileError";
  }
}

/**
 * Parses a YAML file, refusing what Pulumi's own loader refuses (syntax errors, duplicate keys,
 * tab indentation) with the file, line and column of each problem instead of a stack trace.
 */
function readYaml(file: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new StackFileError(
      doc.errors.map((e) => {
        // The parser's message is "<what> at line L, column C:\n\n<excerpt with a caret>".
        const [headline = e.message, ...rest] = e.message.split(":\n");
        const at = lineCounter.linePos(e.pos[0]);
        return {
          file,
          line: e.linePos?.[0].line ?? at.line,
          column: e.linePos?.[0].col ?? at.col,
          message: headline.replace(/ at line \d+, column \d+$/, ""),
          excerpt: rest.join(":\n").replace(/^\n/, ""),
        };
      }),
    );
  return { doc, lineCounter };
}

const isSecure = (v: unknown): boolean =>
  !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;

/** Replaces `secure:` values at any depth (`pulumi config set --path --secret`) by the placeholder. */
function redactSecure(value: unknown, found: { secret: boolean }): unknown {
  if (isSecure(value)) {
    found.secret = true;
    return REDACTED;
  }
  if (Array.isArray(value)) return value.map((v) => redactSecure(v, found));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecure(v, found)]));
  return value;
}

/**
 * Reads Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program: objects and lists
 * JSON-encoded, scalars as strings. Secure values (top-level or nested) cannot be decrypted
 * offline: they become a placeholder and their key is marked secret.
 */
export function readStackFile(path: string, project: string): StackFileConfig {
  const { doc: parsed, lineCounter } = readYaml(path);
  const doc = (parsed.toJS() ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const lines: Record<string, number> = {};
  const fullKey = (rawKey: string) => (rawKey.includes(":") ? rawKey : `${project}:${rawKey}`);
  const lineOf = (node: { range?: [number, number, number] | null } | null) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const walk = (node: unknown, key: string) => {
    if (isMap(node))
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const child = `${key}.${String(pair.key.value)}`;
        lines[child] = lineOf(pair.key)!;
        walk(pair.value, child);
      }
    else if (isSeq(node))
      node.items.forEach((item, i) => {
        const line = lineOf(item as Node);
        if (line) lines[`${key}[${i}]`] = line;
        walk(item, `${key}[${i}]`);
      });
  };
  const section = parsed.get("config", true);
  if (isMap(section))
    for (const pair of section.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const key = fullKey(String(pair.key.value));
      lines[key] = lineOf(pair.key)!;
      walk(pair.value, key);
    }
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = fullKey(rawKey);
    const found = { secret: false };
    const plain = redactSecure(value, found);
    if (found.secret) secretKeys.push(key);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return { config, secretKeys, lines };
}

/** The project name from Pulumi.yaml. */
export function readProjectName(path: string): string {
  const doc = readYaml(path).doc.toJS() as { name?: string } | null;
  if (!doc?.name) throw new Error(`${path}: no project name`);
  return doc.name;
}
