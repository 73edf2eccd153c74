/**
 * The pod building blocks (components/workload/pod.ts) with only what every server needs: the
 * gateway and worker tests cover what each adds (env, volumes, preStop).
 */
import { describe, expect, it } from "vitest";
import {
  CONFIG_HASH_ANNOTATION,
  configHash,
  httpServiceSpec,
  serverPodSpec,
  workloadLabels,
} from "../../components/workload";

const SELECTOR = { "app.kubernetes.io/name": "server" };
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
  selector: SELECTOR,
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

describe("the pod every server runs", () => {
  it("spreads over zones strictly, then over nodes where it can", () => {
    const by = { labelSelector: { matchLabels: SELECTOR }, maxSkew: 1 };
    expect(bare.topologySpreadConstraints).toStrictEqual([
      { ...by, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" },
      { ...by, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" },
    ]);
  });

  it("runs unprivileged, without capabilities, pulling its pinned image only when absent", () => {
    expect(container.securityContext).toStrictEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.imagePullPolicy).toBe("IfNotPresent");
  });

  it("is reached through a ClusterIP Service on its http port", () => {
    expect(httpServiceSpec(SELECTOR, 8080)).toStrictEqual({
      type: "ClusterIP",
      selector: SELECTOR,
      ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
    });
  });

  it("carries the recommended labels, managed by Pulumi, part of Vega", () => {
    expect(workloadLabels("vega-worker", "query")).toStrictEqual({
      "app.kubernetes.io/name": "vega-worker",
      "app.kubernetes.io/component": "query",
      "app.kubernetes.io/part-of": "vega",
      "app.kubernetes.io/managed-by": "pulumi",
    });
  });

  it("rolls on a config change through a short hash under a valid annotation key", () => {
    expect(configHash("a: 1\n")).toMatch(/^[0-9a-f]{16}$/);
    expect(configHash("a: 1\n")).not.toBe(configHash("a: 2\n"));
    // A qualified name with a DNS prefix, as the API requires of an annotation key.
    expect(CONFIG_HASH_ANNOTATION).toBe("checksum/runtime-config");
  });
});
