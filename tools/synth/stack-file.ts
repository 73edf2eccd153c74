import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { REDACTED } from "../../components/core/plan";

export interface StackFileConfig {
  /** Full keys (`project:key`) to Pulumi's string encoding of the value. */
  config: Record<string, string>;
  /** Keys whose value is a secret (`secure:` in the file); their values are placeholders. */
  secretKeys: string[];
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
  const doc = (parse(readFileSync(path, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    const found = { secret: false };
    const plain = redactSecure(value, found);
    if (found.secret) secretKeys.push(key);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return { config, secretKeys };
}

/** The project name from Pulumi.yaml. */
export function readProjectName(path: string): string {
  const doc = parse(readFileSync(path, "utf8")) as { name?: string };
  if (!doc?.name) throw new Error(`${path}: no project name`);
  return doc.name;
}
