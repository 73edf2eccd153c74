/**
 * Route 53 answers a failover name from one PRIMARY and one SECONDARY record (same name, type and
 * zone). Two stacks that both claim a role for one name would fight over the record set at
 * `pulumi up` (the second create fails, or one stack silently takes over the other's answer):
 * the plan refuses them, naming both stacks and the key that decides the role.
 */
import type { RecordedResource } from "../../components/core/plan";

/** A failover record a stack would create. */
export interface FailoverClaim {
  urn: string;
  zoneId: string;
  /** As registered; compared case-insensitively and without the trailing dot, as Route 53 does. */
  name: string;
  /** Record type (A, AAAA, CNAME...). */
  type: string;
  /** PRIMARY or SECONDARY. */
  failover: string;
}

const RECORD = "aws:route53/record:Record";

/** The failover records among a stack's recorded resources. */
export function failoverClaims(
  resources: readonly Pick<RecordedResource, "urn" | "type" | "inputs">[],
): FailoverClaim[] {
  return resources.flatMap((r) => {
    const policies = r.inputs.failoverRoutingPolicies;
    if (r.type !== RECORD || !Array.isArray(policies)) return [];
    const { zoneId, name, type } = r.inputs as Record<string, unknown>;
    return policies.map((p: { type?: unknown }) => ({
      urn: r.urn,
      zoneId: String(zoneId),
      name: String(name),
      type: String(type),
      failover: String(p.type),
    }));
  });
}

/** A stack's claims, with where its role is set (for the message). */
export interface StackClaims {
  stack: string;
  /** The config key that decides the stack's failover role, e.g. `vega-ha:role`. */
  roleKey: string;
  /** Where that key is set, e.g. `Pulumi.dr.yaml:3` (or just the file when the key is absent). */
  roleAt: string;
  claims: FailoverClaim[];
}

const recordKey = (c: FailoverClaim) =>
  [c.zoneId, c.name.toLowerCase().replace(/\.$/, ""), c.type, c.failover].join(" ");

/** One message per record role claimed by more than one stack. */
export function failoverRoleConflicts(stacks: readonly StackClaims[]): string[] {
  const byRecord = new Map<string, { claim: FailoverClaim; stack: StackClaims }[]>();
  for (const stack of stacks)
    for (const claim of stack.claims) {
      const key = recordKey(claim);
      byRecord.set(key, [...(byRecord.get(key) ?? []), { claim, stack }]);
    }
  return [...byRecord.values()]
    .filter((claims) => new Set(claims.map((c) => c.stack.stack)).size > 1)
    .map((claims) => {
      const { claim } = claims[0]!;
      const names = claims.map((c) => c.stack.stack).join(" and ");
      return [
        `stacks ${names} both claim the ${claim.failover} failover record ${claim.name} (${claim.type}) in zone ${claim.zoneId}; a name has one PRIMARY and one SECONDARY record. Check ${claims[0]!.stack.roleKey}:`,
        ...claims.map(
          (c) => `  ${c.stack.stack}: ${c.stack.roleKey} at ${c.stack.roleAt} (${c.claim.urn})`,
        ),
      ].join("\n");
    });
}
