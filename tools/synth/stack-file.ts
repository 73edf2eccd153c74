import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface StackFileConfig {
  /** Full keys (`project:key`) to Pulumi's string encoding of the value. */
  config: Record<string, string>;
  /** Keys whose value is a secret (`secure:` in the file); their values are placeholders. */
  secretKeys: string[];
}

export const SECRET_PLACEHOLDER = "[secret]";

/**
 * Reads Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program: objects and lists
 * JSON-encoded, scalars as strings. Secure values cannot be decrypted offline: they become a
 * placeholder and are marked secret.
 */
export function readStackFile(path: string, project: string): StackFileConfig {
  const doc = (parse(readFileSync(path, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      config[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

/** The project name from Pulumi.yaml. */
export function readProjectName(path: string): string {
  const doc = parse(readFileSync(path, "utf8")) as { name?: string };
  if (!doc?.name) throw new Error(`${path}: no project name`);
  return doc.name;
}
