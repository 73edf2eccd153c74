import { createHash } from "node:crypto";

const REGION_WORDS: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/** Short region code used in names: us-east-1 → use1, ap-southeast-2 → apse2. */
export function regionCode(region: string): string {
  const parts = region.split("-");
  const area = parts[0] ?? region;
  const number = parts[parts.length - 1] ?? "";
  const words = parts.slice(1, -1).map((w) => REGION_WORDS[w] ?? w.charAt(0));
  return `${area}${words.join("")}${number}`;
}

/** The prefix every logical name of a stack starts with: vega-<environment>-<region code>. */
export function stackPrefix(environment: string, region: string): string {
  return `vega-${environment}-${regionCode(region)}`;
}

/** A child's name: `${parent}-<role>`, as awsx names children. */
export function childName(parent: string, role: string): string {
  return `${parent}-${role}`;
}

/**
 * A physical name that fits an AWS length limit (ALB and target group names: 32). Too long a
 * name keeps its head and gets a 6-character hash of the whole, so it stays unique and stable.
 */
export function fitName(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `${name.slice(0, maxLength - 7).replace(/-+$/, "")}-${hash}`;
}

/**
 * A physical name for a resource whose name AWS cannot change in place (ALB, target group):
 * a readable head, then a 6-character hash of the inputs whose change makes AWS replace the
 * resource. A replacement therefore gets a new name and can be created before the old one is
 * deleted, without a name collision; an in-place update keeps the name. Fits `maxLength`.
 */
export function replacementName(head: string, immutable: unknown, maxLength: number): string {
  const hash = createHash("sha256").update(JSON.stringify(immutable)).digest("hex").slice(0, 6);
  return `${head.slice(0, maxLength - 7).replace(/-+$/, "")}-${hash}`;
}
