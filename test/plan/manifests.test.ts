/**
 * out/<stack>/kubernetes/manifests.yaml applies as written: every object named, valid against
 * the upstream Kubernetes schemas with unknown fields refused, every reference resolved inside
 * the file, secrets redacted without losing their shape. Both stacks, planned as `npm run plan`
 * plans them (one worker process per stack).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { REDACTED } from "../../components/core/plan";
import { PASSWORD_KEY } from "../../components/redis";
import { renderManifests } from "../../tools/plan/manifests";
import type { PlanResource } from "../../tools/plan/protocol";
import { STACKS, synthesiseStacks, type StackName } from "../../tools/plan/run";
import { redactSecrets } from "../../tools/synth/recorder";
import { stackConfig } from "../harness";
import { danglingReferences, type K8sObject } from "./k8s-references";
import { validateObjects } from "./k8s-schemas";

/** Kinds no registry package publishes a schema for: the AWS Load Balancer Controller's CRD. */
const WITHOUT_PUBLISHED_SCHEMA = ["elbv2.k8s.aws/v1beta1 TargetGroupBinding"];

const manifests = new Map<StackName, K8sObject[]>();
const resources = new Map<StackName, PlanResource[]>();

beforeAll(async () => {
  const plans = await synthesiseStacks([...STACKS]);
  for (const stack of STACKS) {
    const reply = plans.get(stack)!;
    const text = reply.files["kubernetes/manifests.yaml"]!;
    manifests.set(
      stack,
      parseAllDocuments(text).map((d) => d.toJS() as K8sObject),
    );
    resources.set(
      stack,
      (JSON.parse(reply.files["plan.json"]!) as { resources: PlanResource[] }).resources,
    );
  }
}, 120_000);

const objectsOf = (stack: StackName) => manifests.get(stack)!;
const clone = <T>(v: T): T => structuredClone(v);

describe.each(STACKS)("%s stack: kubernetes/manifests.yaml", (stack) => {
  it("holds every Kubernetes object of the plan, each with its name", () => {
    const planned = resources
      .get(stack)!
      .filter((r) => r.type.startsWith("kubernetes:") && r.inputs.kind !== undefined);
    const objects = objectsOf(stack);
    expect(objects.length).toBe(planned.length);
    for (const o of objects) {
      expect(o.metadata?.name, `${o.kind} ${JSON.stringify(o.metadata)}`).toMatch(
        /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
      );
    }
    const ids = objects.map(
      (o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`,
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("passes the upstream schemas with unknown fields refused; only CRDs without a published schema are left out", () => {
    const report = validateObjects(objectsOf(stack));
    expect(report.problems).toEqual([]);
    expect(report.unchecked).toEqual(WITHOUT_PUBLISHED_SCHEMA);
  });

  it("resolves every name reference inside the file", () => {
    const config = stackConfig(stack);
    const external = config.kubernetes.createNamespace ? [] : [config.kubernetes.namespace];
    expect(danglingReferences(objectsOf(stack), external)).toEqual([]);
  });

  it("mounts an API token only in pods that call the API, under their own bound ServiceAccount", () => {
    const objects = objectsOf(stack);
    const workloads = objects.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind));
    expect(workloads.length).toBeGreaterThan(0);
    const bound = new Set(
      objects
        .filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding")
        .flatMap((b) => (b.subjects ?? []).map((s: { name: string }) => s.name)),
    );
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      if (pod.automountServiceAccountToken === false) continue;
      expect(pod.automountServiceAccountToken, `${w.kind}/${w.metadata.name}`).toBe(true);
      expect(bound.has(pod.serviceAccountName), `${w.kind}/${w.metadata.name}`).toBe(true);
    }
  });

  it("keeps the Redis Secret's shape: each key present, each value redacted", () => {
    const secret = objectsOf(stack).find((o) => o.kind === "Secret")!;
    expect(secret.stringData).toEqual({ [PASSWORD_KEY]: REDACTED });
  });
});

describe("the schema check", () => {
  it("refuses an unknown field anywhere in any object, and a wrong type", () => {
    const objects = objectsOf("primary");
    const validated = objects.filter(
      (o) => !WITHOUT_PUBLISHED_SCHEMA.includes(`${o.apiVersion} ${o.kind}`),
    );
    const spoiled = validated.map((o) => {
      const copy = clone(o) as K8sObject & Record<string, any>;
      copy.metadata = { ...copy.metadata, labelz: { a: "b" } } as K8sObject["metadata"];
      return copy;
    });
    const report = validateObjects(spoiled);
    expect(new Set(report.problems.map((p) => p.object)).size).toBe(validated.length);
    for (const p of report.problems) expect(p.message).toBe("unknown field metadata.labelz");

    const redis = clone(objects.find((o) => o.kind === "StatefulSet")!);
    redis.spec.template.spec.containers[0].imagee = redis.spec.template.spec.containers[0].image;
    redis.spec.replicas = "3";
    const monitor = clone(objects.find((o) => o.kind === "ServiceMonitor")!);
    monitor.spec.endpoints[0].intervall = "30s";
    const messages = validateObjects([redis, monitor]).problems.map((p) => p.message);
    expect(messages).toContain("unknown field spec.template.spec.containers[0].imagee");
    expect(messages).toContain("unknown field spec.endpoints[0].intervall");
    expect(messages.some((m) => m.includes("spec/replicas must be integer"))).toBe(true);
  });

  it("the reference check catches a dangling Secret, ConfigMap, Service and selector", () => {
    const objects = clone(objectsOf("primary"));
    const rename = (kind: string, match: (o: K8sObject) => boolean) => {
      const o = objects.find((x) => x.kind === kind && match(x))!;
      o.metadata.name = `${o.metadata.name}-gone`;
      return o.metadata.name;
    };
    rename("Secret", () => true);
    rename("ConfigMap", (o) => o.metadata.name.startsWith("vega-redis-config"));
    rename("Service", (o) => o.metadata.name === "vega-redis-headless");
    const pdb = objects.find((o) => o.kind === "PodDisruptionBudget")!;
    pdb.spec.selector.matchLabels = { "app.kubernetes.io/name": "nobody" };
    const problems = danglingReferences(objects).join("\n");
    expect(problems).toMatch(
      /StatefulSet\/vega-redis: env REDIS_PASSWORD Secret "vega-redis-auth"/,
    );
    expect(problems).toMatch(
      /StatefulSet\/vega-redis: volume templates ConfigMap "vega-redis-config-/,
    );
    expect(problems).toMatch(
      /StatefulSet\/vega-redis: spec.serviceName Service "vega-redis-headless"/,
    );
    expect(problems).toMatch(
      new RegExp(`PodDisruptionBudget/${pdb.metadata.name}: its selector matches no pod`),
    );
  });
});

describe("renderManifests", () => {
  it("refuses an object without metadata.name (Pulumi would auto-name it)", () => {
    const nameless: PlanResource = {
      urn: "urn:pulumi:t::p::kubernetes:core/v1:ConfigMap::cm",
      type: "kubernetes:core/v1:ConfigMap",
      name: "cm",
      protect: false,
      retainOnDelete: false,
      inputs: { apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "x" } },
      secretPaths: [],
    };
    expect(() => renderManifests([nameless])).toThrow(/without metadata.name.*cm \(ConfigMap\)/);
  });
});

describe("redactSecrets", () => {
  const secret = (value: unknown) => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    value,
  });

  it("redacts a secret object or list leaf by leaf, keeping its keys and length", () => {
    const found: string[] = [];
    const redacted = redactSecrets(
      {
        stringData: secret({ password: "hunter2", nested: { a: 1 } }),
        tokens: secret(["t1", "t2"]),
        plain: "visible",
        kubeconfig: secret("apiVersion: v1"),
      },
      "",
      found,
    );
    expect(redacted).toEqual({
      stringData: { password: REDACTED, nested: { a: REDACTED } },
      tokens: [REDACTED, REDACTED],
      plain: "visible",
      kubeconfig: REDACTED,
    });
    expect(found).toEqual([
      "stringData.password",
      "stringData.nested.a",
      "tokens[0]",
      "tokens[1]",
      "kubeconfig",
    ]);
    expect(JSON.stringify(redacted)).not.toMatch(/hunter2|t1|apiVersion/);
  });
});
