/**
 * A small IAM policy evaluator for tests: whether a policy document allows a request, by the
 * rules of the IAM User Guide's "Policy evaluation logic" for one identity-based policy (an
 * explicit Deny wins, then an Allow whose Action, Resource and every Condition match; otherwise
 * the implicit deny). Action and Resource match case-insensitively and case-sensitively
 * respectively, with `*` and `?` wildcards; conditions support StringEquals, StringLike and Bool,
 * each key satisfied by any of its values. Anything else in a Condition fails the match, so an
 * operator this does not know never reads as allowed. NotAction and NotResource are not read:
 * a statement written with them matches nothing here.
 */
import type { PolicyDocument, PolicyStatement } from "../../components/core";

export interface IamRequest {
  action: string;
  resource: string;
  /** Condition keys of the request, e.g. { "kms:ViaService": "s3.us-east-1.amazonaws.com" }. */
  context?: Record<string, string>;
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

function conditionsHold(statement: PolicyStatement, context: Record<string, string>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      if (operator === "StringEquals") return list(values).includes(actual);
      if (operator === "StringLike") return list(values).some((v) => wildcard(v, actual, false));
      if (operator === "Bool") return list(values).includes(actual);
      return false;
    }),
  );
}

function matches(statement: PolicyStatement, request: IamRequest): boolean {
  return (
    list(statement.Action).some((a) => wildcard(a, request.action, true)) &&
    // A role's trust policy names no Resource: the role itself is the resource.
    (statement.Resource === undefined ||
      list(statement.Resource).some((r) => wildcard(r, request.resource, false))) &&
    conditionsHold(statement, request.context ?? {})
  );
}

/** Whether `policy` allows `request`. */
export function iamAllows(policy: PolicyDocument, request: IamRequest): boolean {
  const applicable = policy.Statement.filter((s) => matches(s, request));
  return (
    applicable.some((s) => s.Effect === "Allow") && !applicable.some((s) => s.Effect === "Deny")
  );
}
