/** The plan refuses an Output used as a string: the SDK's warning text must never ship as a value. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { outputTextProblems } from "../../tools/plan/output-text";
import { synth } from "../harness";
import { planCli } from "./cli";

const tmp = mkdtempSync(path.join(tmpdir(), "vega-output-text-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FIXTURE = path.join(__dirname, "fixtures/output-in-string.ts");

describe("outputTextProblems", () => {
  it("names each resource and input path that holds the SDK's warning instead of a value", async () => {
    const synthed = await synth(() => import("./fixtures/output-in-string.js"));
    const role = synthed.one("aws:iam/role:Role");
    expect(String(role.inputs.description)).toContain("Calling [toString] on an [Output<T>]");
    expect(outputTextProblems(synthed.resources)).toEqual([
      { urn: role.urn, path: "assumeRolePolicy" },
      { urn: role.urn, path: "description" },
    ]);
  });

  it("finds it at any depth and passes values built with pulumi.interpolate", async () => {
    const synthed = await synth(() => {
      const topic = new aws.sns.Topic("alerts", { region: "us-east-1" });
      new aws.iam.Role("ok", {
        description: pulumi.interpolate`publishes to ${topic.arn}`,
        assumeRolePolicy: "{}",
      });
    });
    expect(outputTextProblems(synthed.resources)).toEqual([]);
    expect(
      outputTextProblems([
        {
          urn: "u",
          inputs: { rules: [{ filter: { prefix: "Calling [toJSON] on an [Output<T>]" } }] },
        },
      ]),
    ).toEqual([{ urn: "u", path: "rules[0].filter.prefix" }]);
  });
});

describe("npm run plan on a program that puts an Output in a string", () => {
  it("exits 1 naming the stack, the resource URN and the input path, and writes nothing", async () => {
    const out = path.join(tmp, "out");
    const result = await planCli(["--stack", "primary", "--program", FIXTURE, "--out", out]);
    expect(result.code).toBe(1);
    const role = "urn:pulumi:primary::vega-ha::pulumi:pulumi:Stack$aws:iam/role:Role::replication";
    expect(result.stderr).toContain("stack primary: 2 input(s) hold");
    expect(result.stderr).toContain(`${role}: input description`);
    expect(result.stderr).toContain(`${role}: input assumeRolePolicy`);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a finding, not a stack trace
    expect(existsSync(out)).toBe(false);
  });
});
