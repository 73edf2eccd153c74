/**
 * The pod building blocks (components/workload/pod.ts) with only what every server needs: the
 * gateway and worker tests cover what each adds (env, volumes, preStop).
 */
import { describe, expect, it } from "vitest";
import { serverPodSpec } from "../../components/workload";

const bare = serverPodSpec({
  container: "server",
  image: "registry.example/vega/server:1.0.0",
  port: 8080,
  healthPath: "/health",
  readinessPeriodSeconds: 10,
  resources: {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "500m", memory: "256Mi" },
  },
  selector: { "app.kubernetes.io/name": "server" },
  terminationGracePeriodSeconds: 30,
}) as any;
const [container] = bare.containers;

describe("serverPodSpec without options", () => {
  it("sets no env and no preStop hook", () => {
    expect(container.env).toStrictEqual([]);
    expect(container).not.toHaveProperty("lifecycle");
  });

  it("still gives the read-only container a writable /tmp of 64 MiB, and nothing else", () => {
    expect(container.volumeMounts).toStrictEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(bare.volumes).toStrictEqual([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
  });
});
