/**
 * Every resource of a stack keeps its URN: a real stack's state knows each resource by it, and a
 * URN the program no longer answers to (a renamed child, a moved parent, a dropped resource) is a
 * delete and a create at the next `pulumi up` — a protected one fails the update halfway. The
 * fixture (fixtures/urns/<stack>.json) lists the engine URNs of the program as it was; a resource
 * may be added freely, but a rename needs an alias and a removal needs a deliberate update of the
 * fixture: `VEGA_UPDATE_URNS=1 npx vitest run test/stack/{primary,dr,dr-promoted}.test.ts`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lostUrns, resourceIdentities } from "../../tools/plan/urns";
import type { Synth } from "../harness";

export function describeUrnsKept(stack: "primary" | "dr" | "dr-promoted", get: () => Synth): void {
  const file = path.join(__dirname, "fixtures", "urns", `${stack}.json`);
  let s: Synth;
  beforeAll(() => {
    s = get();
    if (process.env.VEGA_UPDATE_URNS === "1") {
      const { urnOf } = resourceIdentities(s.resources);
      const urns = [...new Set(s.resources.map((r) => urnOf(r.urn)))].sort();
      writeFileSync(file, `${JSON.stringify(urns, null, 2)}\n`);
    }
  });

  describe(`${stack} stack: every resource keeps its URN`, () => {
    it("answers to every URN of the fixture, by its own or an alias", () => {
      const before = JSON.parse(readFileSync(file, "utf8")) as string[];
      expect(before.length).toBeGreaterThan(100);
      expect(lostUrns(before, s.resources)).toEqual([]);
    });
  });
}
