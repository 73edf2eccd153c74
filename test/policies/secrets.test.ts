/**
 * Rules get secrets as `pulumi preview` gives them: plain values, no marker (@pulumi/policy
 * deserialises with proxySecrets false). The plan files still show "[secret]".
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { beforeAll, describe, expect, it } from "vitest";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { noSecretValueInConfigMap } from "../../policies/core";
import { runPolicies } from "../../policies/runner";
import { computedOutputs } from "../../tools/synth/computed";
import { REDACTED, synth, type Synth } from "../harness";

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

let s: Synth;
beforeAll(async () => {
  s = await synth(() => {
    const generated = new random.RandomPassword("db-password", { length: 24, special: false });
    // The engine makes `result` secret (additionalSecretOutputs); mocks do not, so say it here.
    const password = pulumi.secret(generated.result);
    new k8s.core.v1.Secret("db-auth", { stringData: { password } });
    new k8s.core.v1.ConfigMap("app-leaky", {
      data: {
        "app.properties": pulumi.interpolate`db.url=postgres://vega:${password}@db/vega`,
      },
    });
    new k8s.core.v1.ConfigMap("app-clean", {
      data: { "app.properties": "db.url=postgres://db/vega" },
    });
  });
});

/** The stand-in password the mocks generated (what the program computed). */
function generatedPassword(): string {
  const r = s.one("random:index/randomPassword:RandomPassword");
  return String(
    computedOutputs({ type: r.type, name: r.name, inputs: r.inputs, region: "" }).result,
  );
}

describe("policies see secrets as plain values", () => {
  it("records the secret-derived ConfigMap entry as [secret] for the plan files", () => {
    const leaky = s.one(CONFIG_MAP, "app-leaky");
    expect((leaky.inputs.data as Record<string, unknown>)["app.properties"]).toBe(REDACTED);
    expect(leaky.secretPaths).toEqual(["data.app.properties"]);
  });

  it("hands rules the plain value, with no marker, as the engine does", async () => {
    const seen: Record<string, unknown>[] = [];
    const spy: ResourceValidationPolicy = {
      name: "vega-test-spy",
      description: "records what a rule is given",
      enforcementLevel: "advisory",
      validateResource: (args) => {
        if (args.type === CONFIG_MAP && args.name === "app-leaky") seen.push(args.props);
      },
    };
    await runPolicies(s.resources, {}, [spy]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.data).toEqual({
      "app.properties": `db.url=postgres://vega:${generatedPassword()}@db/vega`,
    });
    expect(JSON.stringify(s.resources.map((r) => r.plainInputs))).not.toContain(REDACTED);
  });

  it("catches the ConfigMap carrying the Secret's value by its content", async () => {
    const report = await runPolicies(s.resources, {}, [noSecretValueInConfigMap]);
    expect(report.violations.map((v) => v.message)).toEqual([
      "app-leaky: data.app.properties contains the value of a Secret",
    ]);
  });
});
