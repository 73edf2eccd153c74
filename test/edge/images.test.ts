import { describe, expect, it } from "vitest";
import { cpuCores, imageReference, memoryBytes } from "../../config";
import { parsedPrimary, primaryRaw, primaryWith, problemsOf, refusedKeys } from "../harness/config";

const repository = primaryRaw().gateway.image.repository as string;
const digest = `sha256:${"a1".repeat(32)}`;

describe("images come from config, pinned", () => {
  it("latest is refused, naming the key", () => {
    const raw = primaryWith("gateway.image", { repository, tag: "latest" });
    expect(problemsOf(raw)).toEqual([
      {
        key: "vega-ha:gateway.image.tag",
        message: expect.stringMatching(/pinned tag.*got "latest"/),
      },
    ]);
  });

  it("a tag or digest with anything around it is refused", () => {
    const refused = (image: object) =>
      refusedKeys(primaryWith("gateway.image", { repository, ...image }));
    for (const tag of ["2.4.1", "v2_4-rc.1"]) expect(refused({ tag }), tag).toEqual([]);
    for (const tag of ["-2.4.1", "2.4.1 ", "2.4.1:x"])
      expect(refused({ tag }), tag).toEqual(["vega-ha:gateway.image.tag"]);
    for (const bad of [`x${digest}`, `${digest}0`, `${digest}\n`])
      expect(refused({ digest: bad }), bad).toEqual(["vega-ha:gateway.image.digest"]);
  });

  it("a missing tag is refused, naming the key, for every workload", () => {
    expect(problemsOf(primaryWith("gateway.image", { repository }))).toEqual([
      {
        key: "vega-ha:gateway.image.tag",
        message: expect.stringMatching(/pinned tag, or a digest.*got nothing/),
      },
    ]);
    expect(refusedKeys(primaryWith("workers.cdc.image", { repository }))).toEqual([
      "vega-ha:workers.cdc.image.tag",
    ]);
  });

  it("a tag inside the repository is refused (the tag has its own key)", () => {
    expect(
      refusedKeys(
        primaryWith("gateway.image", { repository: `${repository}:2.4.1`, tag: "2.4.1" }),
      ),
    ).toEqual(["vega-ha:gateway.image.repository"]);
  });

  it("a missing image is refused", () => {
    expect(problemsOf(primaryWith("workers.query.image", undefined))).toEqual([
      { key: "vega-ha:workers.query.image", message: expect.stringMatching(/^required/) },
    ]);
  });

  it("a digest pins on its own; with a tag, the digest wins", () => {
    const byDigest = parsedPrimary(primaryWith("gateway.image", { repository, digest })).gateway
      .image;
    expect(imageReference(byDigest)).toBe(`${repository}@${digest}`);
    expect(imageReference({ repository, tag: "2.4.1", digest })).toBe(
      `${repository}:2.4.1@${digest}`,
    );
    expect(
      refusedKeys(primaryWith("gateway.image", { repository, digest: "sha256:short" })),
    ).toEqual(["vega-ha:gateway.image.digest"]);
  });

  it("a registry with a port is a repository, not a tag", () => {
    const image = parsedPrimary(
      primaryWith("gateway.image", {
        repository: "registry.internal:5000/vega/gateway",
        tag: "2.4.1",
      }),
    ).gateway.image;
    expect(imageReference(image)).toBe("registry.internal:5000/vega/gateway:2.4.1");
  });
});

describe("sizing refused with its key", () => {
  it("a request above its limit", () => {
    const raw = primaryWith("gateway.resources", {
      requests: { memory: "2Gi" },
      limits: { memory: "1Gi" },
    });
    expect(problemsOf(raw)).toEqual([
      {
        key: "vega-ha:gateway.resources.requests.memory",
        message: expect.stringMatching(/at most limits.memory \(1Gi\)/),
      },
    ]);
  });

  it("quantities compare across units", () => {
    expect(cpuCores("1500m")).toBe(cpuCores("1.5"));
    expect(memoryBytes("1Gi")).toBe(memoryBytes("1024Mi"));
    expect(memoryBytes("1G")).toBeLessThan(memoryBytes("1Gi"));
    expect(
      refusedKeys(
        primaryWith("gateway.resources", { requests: { cpu: "2000m" }, limits: { cpu: "2" } }),
      ),
    ).toEqual([]);
  });

  it("a pool whose min exceeds its max, or whose standby outgrows full size", () => {
    const raw = primaryRaw();
    expect(
      refusedKeys(
        primaryWith("workers.sync", {
          image: raw.workers.sync.image,
          replicas: { min: 5, max: 4 },
        }),
      ),
    ).toEqual(["vega-ha:workers.sync.replicas.min"]);
    expect(
      refusedKeys(
        primaryWith("workers.sync", {
          image: raw.workers.sync.image,
          replicas: { max: 2 },
          standbyReplicas: { max: 3 },
        }),
      ),
    ).toEqual(["vega-ha:workers.sync.standbyReplicas.max"]);
  });

  it("an unknown pool", () => {
    expect(refusedKeys(primaryWith("workers.batch", { image: { repository, tag: "1" } }))).toEqual([
      "vega-ha:workers.batch",
    ]);
  });
});
