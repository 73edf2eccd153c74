/**
 * The helpers the pack's mutation fixtures are written with (policies/mutation.ts): each finds
 * the first resource of a type that matches, changes a copy (inputs and plainInputs alike), and
 * leaves the stack it was given as it was.
 */
import { describe, expect, it } from "vitest";
import type { RecordedResource } from "../../components/core/plan";
import {
  chain,
  duplicateResource,
  editInputs,
  editResource,
  inside,
  named,
  removeResource,
} from "../../policies/mutation";
import { recordedResource } from "../harness/records";

const BUCKET = "aws:s3/bucket:Bucket";
/** A bucket first (index 0 is a target too), one with a secret (separate plainInputs), a key. */
function stack(): RecordedResource[] {
  const shared = recordedResource(BUCKET, "logs-bucket", { tags: ["a"] });
  const secret = recordedResource(
    BUCKET,
    "vault-bucket",
    { tags: ["[secret]"] },
    {
      urn: "urn:pulumi:primary::vega-ha::vega:backup:BackupVault$aws:s3/bucket:Bucket::vault-bucket",
      plainInputs: { tags: ["plain"] },
    },
  );
  return [shared, secret, recordedResource("aws:kms/key:Key", "key", {})];
}
const tagOf = (props: Record<string, any>) => (props.tags as string[]).push("x");

describe("the mutation helpers", () => {
  it("select by name suffix and by enclosing component", () => {
    const [logs, vault] = stack();
    expect([logs, vault].map(named("-bucket"))).toEqual([true, true]);
    expect([logs, vault].map(named("vault-bucket"))).toEqual([false, true]);
    expect([logs, vault].map(inside("vega:backup:BackupVault"))).toEqual([false, true]);
  });

  it("edit the first match's inputs, once when both views share one object, each view otherwise", () => {
    const given = stack();
    const before = JSON.stringify(given);
    const first = editInputs({ type: BUCKET }, tagOf)(given)!;
    expect(first[0]!.inputs).toEqual({ tags: ["a", "x"] });
    expect(first[0]!.plainInputs).toBe(first[0]!.inputs);
    const second = editInputs({ type: BUCKET, where: named("vault-bucket") }, tagOf)(given)!;
    expect([second[1]!.inputs, second[1]!.plainInputs]).toEqual([
      { tags: ["[secret]", "x"] },
      { tags: ["plain", "x"] },
    ]);
    expect(JSON.stringify(given)).toBe(before);
    expect(editInputs({ type: "aws:sns/topic:Topic" }, tagOf)(given)).toBeUndefined();
  });

  it("change options, remove, or add a renamed copy of the first match, or say there is none", () => {
    const given = stack();
    const before = JSON.stringify(given);
    expect(editResource({ type: BUCKET }, () => ({ protect: true }))(given)![0]!.protect).toBe(
      true,
    );
    expect(removeResource({ type: BUCKET })(given)!.map((r) => r.name)).toEqual([
      "vault-bucket",
      "key",
    ]);
    const copied = duplicateResource({ type: BUCKET }, "-copy", tagOf)(given)!;
    expect(copied.map((r) => r.name)).toEqual([
      "logs-bucket",
      "vault-bucket",
      "key",
      "logs-bucket-copy",
    ]);
    expect(copied[3]!.urn).toBe(`${given[0]!.urn}-copy`);
    expect(copied[3]!.inputs).toEqual({ tags: ["a", "x"] });
    const secretCopy = duplicateResource(
      { type: BUCKET, where: named("vault-bucket") },
      "-2",
      tagOf,
    )(given)!;
    expect([secretCopy[3]!.inputs, secretCopy[3]!.plainInputs]).toEqual([
      { tags: ["[secret]", "x"] },
      { tags: ["plain", "x"] },
    ]);
    expect(JSON.stringify(given)).toBe(before);
    const none = { type: "aws:sns/topic:Topic" };
    for (const apply of [
      editResource(none, () => ({})),
      removeResource(none),
      duplicateResource(none, "-x"),
      chain(removeResource({ type: BUCKET }), removeResource(none)),
    ])
      expect(apply(given)).toBeUndefined();
    expect(
      chain(removeResource({ type: BUCKET }), removeResource({ type: BUCKET }))(given),
    ).toEqual([given[2]]);
  });
});
