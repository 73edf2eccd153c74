/**
 * Plays an application stack (seed card: stack outputs consumed by other stacks): it reads the
 * real primary program's outputs through a StackReference, parses them with the exported
 * schema, and builds its workers' connection settings from them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { applicationConnections, type StackOutputs } from "../../config";
import { stackConfig, synth, synthStack, type Synth } from "../harness";

const PRIMARY = "acme/vega-ha/primary";
let primaryOutputs: StackOutputs;
let app: Synth;

/** The application's program: one Deployment wired to the metadata database and the cache. */
function applicationProgram() {
  const vega = new pulumi.StackReference("vega", { name: PRIMARY });
  const connections = vega.outputs.apply((o) => applicationConnections(o, PRIMARY));
  new k8s.apps.v1.Deployment("catalog-api", {
    metadata: { name: "catalog-api", namespace: "vega" },
    spec: {
      selector: { matchLabels: { app: "catalog-api" } },
      template: {
        metadata: { labels: { app: "catalog-api" } },
        spec: {
          containers: [
            {
              name: "api",
              image: "example/catalog-api:1.0.0",
              envFrom: [{ secretRef: { name: connections.postgres.credentialsSecret } }],
              env: [
                { name: "PGHOST", value: connections.postgres.host },
                { name: "PGPORT", value: connections.postgres.port.apply(String) },
                { name: "PGSSLMODE", value: connections.postgres.sslmode },
                { name: "REDIS_SENTINELS", value: connections.redis.sentinelAddress },
                { name: "REDIS_MASTER_GROUP", value: connections.redis.masterGroup },
              ],
            },
          ],
        },
      },
    },
  });
  return { connections };
}

beforeAll(async () => {
  // The same program the offline plan runs for the primary stack.
  primaryOutputs = (await synthStack("primary")).outputs as StackOutputs;
  app = await synth(applicationProgram, { stackOutputs: { [PRIMARY]: primaryOutputs } });
}, 120_000);

describe("an application stack consuming the primary's outputs", () => {
  it("connects its workers to the primary's database endpoint and port, credentials from the Secret", () => {
    const config = stackConfig("primary");
    const container = (app.one("kubernetes:apps/v1:Deployment").inputs as any).spec.template.spec
      .containers[0];
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    expect(env.PGHOST).toBe(primaryOutputs.postgres!.endpoint);
    expect(env.PGHOST).toMatch(new RegExp(`\\.${config.region}\\.rds\\.amazonaws\\.com$`));
    expect(env.PGPORT).toBe(String(config.postgres.port));
    expect(env.PGSSLMODE).toBe("require");
    expect(container.envFrom).toEqual([
      { secretRef: { name: primaryOutputs.postgres!.appCredentialsSecret } },
    ]);
    expect(env.REDIS_SENTINELS).toBe(primaryOutputs.redis!.sentinelAddress);
    expect(env.REDIS_MASTER_GROUP).toBe(config.redis.masterGroup);
  });

  it("tells an older primary's consumer what is missing", () => {
    const { postgres: _dropped, ...older } = primaryOutputs;
    expect(() => applicationConnections(older, PRIMARY)).toThrow(
      /no "postgres" section .*deploy \(pulumi up\) the primary stack first/,
    );
  });
});
