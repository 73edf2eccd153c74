/**
 * The URNs a recorded resource answers to in the Pulumi engine: its own, and those its aliases
 * and its ancestors' aliases give it. The mock monitor writes a short URN (parent type only);
 * the engine qualifies a type with every ancestor's type, so both are computed here from the
 * recorded parent chain, and alias inheritance follows the SDK's `allAliases` /
 * `inheritedChildAlias` (a child named `<parent>-x` under an aliased parent `old` is also
 * `old-x` under the parent's old URN). A rename or re-parent is safe for a real stack exactly
 * when every URN of the old program is still answered to.
 */
import type { RecordedAlias, RecordedResource } from "../../components/core/plan";

type Node = Pick<RecordedResource, "urn" | "type" | "name" | "parent"> & {
  aliases?: RecordedAlias[];
};

const ROOT_TYPE = "pulumi:pulumi:Stack";

const parts = (urn: string) => {
  const [head, project, qualifiedType, ...name] = urn.split("::");
  return { head: head!, project: project!, qualifiedType: qualifiedType!, name: name.join("::") };
};

/** The engine's URN of a child of `parentUrn` (undefined: top level) with `type` and `name`. */
export function childUrn(
  stackUrn: string,
  parentUrn: string | undefined,
  type: string,
  name: string,
) {
  const { head, project } = parts(stackUrn);
  const parent = parentUrn === undefined ? undefined : parts(parentUrn);
  const qualified =
    parent === undefined || parent.qualifiedType === ROOT_TYPE
      ? type
      : `${parent.qualifiedType}$${type}`;
  return `${head}::${project}::${qualified}::${name}`;
}

/** Engine URNs (by recorded URN) and every URN each resource answers to. */
export function resourceIdentities(resources: Node[]): {
  urnOf: (recordedUrn: string) => string;
  identitiesOf: (recordedUrn: string) => Set<string>;
} {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const engine = new Map<string, string>();
  const identities = new Map<string, Set<string>>();

  const urnOf = (urn: string): string => {
    const known = engine.get(urn);
    if (known) return known;
    const r = byUrn.get(urn);
    if (!r) return urn; // not recorded (the stack itself): already an engine URN
    const parentUrn = r.parent ? urnOf(r.parent) : undefined;
    const result = childUrn(r.urn, parentUrn, r.type, r.name);
    engine.set(urn, result);
    return result;
  };

  const identitiesOf = (urn: string): Set<string> => {
    const known = identities.get(urn);
    if (known) return known;
    const r = byUrn.get(urn);
    if (!r) return new Set([urn]);
    const own = urnOf(urn);
    const result = new Set([own]);
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    const currentParent = r.parent ? urnOf(r.parent) : undefined;
    // Inherited: the same resource under each earlier identity of its parent.
    if (parent && r.parent) {
      for (const parentIdentity of identitiesOf(r.parent)) {
        if (parentIdentity === currentParent) continue;
        const name = r.name.startsWith(parent.name)
          ? parts(parentIdentity).name + r.name.slice(parent.name.length)
          : r.name;
        result.add(childUrn(r.urn, parentIdentity, r.type, name));
      }
    }
    // Its own aliases: a spec leaves out what stays the same.
    for (const alias of r.aliases ?? []) {
      if (alias.urn) {
        result.add(alias.urn);
        continue;
      }
      const aliasParent = alias.noParent
        ? undefined
        : alias.parentUrn
          ? urnOf(alias.parentUrn)
          : currentParent;
      result.add(childUrn(r.urn, aliasParent, alias.type ?? r.type, alias.name ?? r.name));
    }
    identities.set(urn, result);
    return result;
  };

  return { urnOf, identitiesOf };
}

/**
 * URNs of `before` (engine URNs) that no resource of `after` answers to: each would be deleted
 * and created again by `pulumi up`.
 */
export function lostUrns(before: string[], after: Node[]): string[] {
  const { identitiesOf } = resourceIdentities(after);
  const answered = new Set(after.flatMap((r) => [...identitiesOf(r.urn)]));
  return before.filter((urn) => !answered.has(urn));
}
