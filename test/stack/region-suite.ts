/**
 * What VegaRegion itself decides, on a synthesised stack: Vega's namespace, the contract it
 * exports from its own config, and the values it hands from one area to another (the database's
 * default clients, the CronJob name the backup alert watches).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { stackObjectives } from "../../components/region/plan";
import { CONTRACT_VERSION, type StackConfig } from "../../config";
import type { Synth } from "../harness";

const NAMESPACE = "kubernetes:core/v1:Namespace";

export function describeRegionWiring(get: () => Synth, config: StackConfig): void {
  let s: Synth;
  beforeAll(() => {
    s = get();
  });
  const k8sObjects = () =>
    s.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== NAMESPACE);

  describe(`VegaRegion in the ${config.role}${config.promoted ? " (promoted)" : ""} stack`, () => {
    it("creates Vega's namespace, protected as configured and labelled part of Vega; every object lives in it", () => {
      const [namespace, ...more] = s.ofType(NAMESPACE);
      expect(more).toEqual([]);
      expect(namespace!.inputs.metadata).toEqual({
        name: config.kubernetes.namespace,
        labels: { "app.kubernetes.io/part-of": "vega" },
      });
      expect(namespace!.protect).toBe(config.protect);
      const outside = k8sObjects().filter(
        (r) => (r.inputs.metadata as any)?.namespace !== config.kubernetes.namespace,
      );
      expect(outside.map((r) => r.name)).toEqual([]);
    });

    it("exports the contract of its own config", () => {
      expect(s.outputs).toMatchObject({
        contractVersion: CONTRACT_VERSION,
        role: config.role,
        promoted: config.promoted === true,
        environment: config.environment,
        region: config.region,
        backup: { region: config.region },
        opensearch: { region: config.region },
        postgres: { region: config.region, databaseName: config.postgres.databaseName },
      });
    });

    it("judges the recovery objectives of every area it builds, by default", () => {
      const areas = new Set(
        stackObjectives({ stack: "test", resources: s.resources, outputs: s.outputs }).map(
          (r) => r.area,
        ),
      );
      for (const area of ["edge", "postgresql", "opensearch"]) expect(areas, area).toContain(area);
    });

    it("opens the database to the gateways' security group when no clients are configured", () => {
      const rules = s
        .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .filter((r) => r.name.includes("-postgres-"));
      expect(rules.map((r) => r.inputs.referencedSecurityGroupId)).toEqual(
        config.postgres.clientSecurityGroupIds ?? [config.edge.targetSecurityGroupId],
      );
    });
  });
}

/** Where the region writes (primary, promoted DR): the daily dump under the name its alert watches. */
export function describeLogicalBackupWiring(get: () => Synth, config: StackConfig): void {
  it("names the logical backup CronJob as the backup alert watches it", () => {
    const [cronJob, ...more] = get().ofType("kubernetes:batch/v1:CronJob");
    expect(more).toEqual([]);
    expect((cronJob!.inputs.metadata as any).name).toBe(
      config.observability.targets.logicalBackupCronJob,
    );
  });
}
