/** How the plan prints a policy violation: rule, level, resource, message, remedy. */
import type { PolicyViolation } from "../../policies/runner";

/** `name (type)` of a URN (`urn:pulumi:stack::project::a$b::name`), or "stack" for none. */
function resourceOf(urn: string | undefined): string {
  if (!urn) return "(stack)";
  const parts = urn.split("::");
  const type = parts[2]?.split("$").pop() ?? "";
  return `${parts[3] ?? urn} (${type})`;
}

export function formatViolation(v: PolicyViolation): string {
  return [
    `  ${v.enforcementLevel === "mandatory" ? "✗" : "!"} ${v.policy} [${v.enforcementLevel}] on ${resourceOf(v.urn)}: ${v.message}`,
    ...(v.remedy ? [`      remedy: ${v.remedy}`] : []),
  ].join("\n");
}
