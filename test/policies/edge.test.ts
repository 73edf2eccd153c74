import { describe, expect, it } from "vitest";
import {
  LOAD_BALANCER_LOG_BUCKET_TYPE,
  TARGET_GROUP_BINDING_TYPE,
  targetHealthConditionType,
} from "../../components/edge";
import { s3EncryptedWithKms } from "../../policies/backup";
import {
  albWaitsForLogBucketPolicy,
  albAccessLogged,
  albDeletionProtected,
  albDropsInvalidHeaders,
  failoverRecordsHealthChecked,
  imageProblem,
  imagesPinned,
  listenersModernTls,
  loadBalancerLogBucketSseS3,
  targetGroupHealthCheck,
  targetsDrainSafely,
  TLS13_POLICY,
} from "../../policies/edge";
import type { VegaPolicy } from "../../policies/rule";
import { ALL_POLICIES } from "../../policies/rules";
import { runPolicies, type PolicyConfig } from "../../policies/runner";
import { stackConfig, type RecordedResource } from "../harness";
import { recordedResource } from "../harness/records";

function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  parents = "",
): RecordedResource {
  return recordedResource(type, name, inputs, {
    urn: `urn:pulumi:test::vega-ha::${parents}${type}::${name}`,
  });
}

async function violations(
  policy: VegaPolicy,
  resources: RecordedResource[],
  config: PolicyConfig = {},
): Promise<string[]> {
  return (await runPolicies(resources, config, [policy])).violations.map((v) => v.message);
}

const goodLb = {
  loadBalancerType: "application",
  dropInvalidHeaderFields: true,
  enableDeletionProtection: true,
  accessLogs: { enabled: true, bucket: "logs" },
};
const lb = (inputs: Record<string, unknown>) => [
  resource("aws:lb/loadBalancer:LoadBalancer", "alb", { ...goodLb, ...inputs }),
];

describe("ALB after its log bucket's policy", () => {
  const policy = resource("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", { bucket: "logs" });
  const other = resource("aws:s3/bucketPolicy:BucketPolicy", "other-policy", { bucket: "other" });
  const alb = (dependencies: string[]) => ({ ...lb({})[0]!, dependencies });

  it("passes an ALB that depends on its log bucket's policy", async () => {
    expect(await violations(albWaitsForLogBucketPolicy, [policy, alb([policy.urn])])).toEqual([]);
  });

  it("catches an ALB created beside the policy, or after another bucket's", async () => {
    for (const dependencies of [[], [other.urn]])
      expect(
        await violations(albWaitsForLogBucketPolicy, [policy, other, alb(dependencies)]),
      ).toEqual(["alb logs to logs but does not depend on that bucket's policy"]);
  });

  it("asks nothing of a load balancer that does not log, or is no ALB, or of other resources", async () => {
    const quiet = [
      { ...lb({ accessLogs: { enabled: false, bucket: "logs" } })[0]!, dependencies: [] },
      { ...lb({ accessLogs: undefined })[0]!, name: "unlogged", dependencies: [] },
      { ...lb({ loadBalancerType: "network" })[0]!, name: "nlb", dependencies: [] },
      resource("aws:s3/bucket:Bucket", "logs", { accessLogs: { enabled: true, bucket: "x" } }),
    ];
    expect(await violations(albWaitsForLogBucketPolicy, [policy, ...quiet])).toEqual([]);
  });

  it("matches any policy while the bucket's name is unknown (a new bucket under preview)", async () => {
    const unknownBucket = {
      ...lb({ accessLogs: { enabled: true } })[0]!,
      dependencies: [other.urn],
    };
    expect(await violations(albWaitsForLogBucketPolicy, [other, unknownBucket])).toEqual([]);
    expect(
      await violations(albWaitsForLogBucketPolicy, [{ ...unknownBucket, dependencies: [] }]),
    ).toEqual(["alb logs to its bucket but does not depend on that bucket's policy"]);
  });

  it("is in the pack", () => {
    expect(ALL_POLICIES).toContain(albWaitsForLogBucketPolicy);
  });
});

describe("edge rules are in the pack", () => {
  it("registered in rules.ts", () => {
    for (const p of [
      albDropsInvalidHeaders,
      listenersModernTls,
      targetGroupHealthCheck,
      targetsDrainSafely,
      imagesPinned,
    ])
      expect(ALL_POLICIES).toContain(p);
  });
});

describe("load balancer", () => {
  it("must drop invalid header fields", async () => {
    expect(await violations(albDropsInvalidHeaders, lb({}))).toEqual([]);
    expect(
      await violations(albDropsInvalidHeaders, lb({ dropInvalidHeaderFields: false })),
    ).toEqual(["dropInvalidHeaderFields must be true"]);
  });

  it("must log access, to a bucket", async () => {
    for (const accessLogs of [{ enabled: false, bucket: "logs" }, { enabled: true }, undefined])
      expect(
        await violations(albAccessLogged, lb({ accessLogs })),
        JSON.stringify(accessLogs),
      ).toEqual(["accessLogs must be enabled with a bucket"]);
    expect(await violations(albAccessLogged, lb({}))).toEqual([]);
  });

  it("an ALB by default type; a network load balancer has no headers or access logs to check", async () => {
    const { loadBalancerType: _type, ...untyped } = goodLb;
    const bare = { dropInvalidHeaderFields: false, accessLogs: undefined };
    expect(
      await violations(albDropsInvalidHeaders, [
        resource("aws:lb/loadBalancer:LoadBalancer", "alb", { ...untyped, ...bare }),
      ]),
    ).toEqual(["dropInvalidHeaderFields must be true"]);
    const nlb = lb({ loadBalancerType: "network", ...bare });
    expect(await violations(albDropsInvalidHeaders, nlb)).toEqual([]);
    expect(await violations(albAccessLogged, nlb)).toEqual([]);
  });

  it("must be deletion-protected unless the stack allows it", async () => {
    expect(await violations(albDeletionProtected, lb({ enableDeletionProtection: false }))).toEqual(
      ["enableDeletionProtection must be true"],
    );
    expect(
      await violations(albDeletionProtected, lb({ enableDeletionProtection: false }), {
        [albDeletionProtected.name]: { allowUnprotected: true },
      }),
    ).toEqual([]);
  });
});

describe("listeners", () => {
  const listener = (inputs: Record<string, unknown>) => [
    resource("aws:lb/listener:Listener", "l", inputs),
  ];
  const forward = [{ type: "forward", targetGroupArn: "arn" }];

  it("HTTPS uses a TLS 1.3 policy", async () => {
    expect(
      await violations(
        listenersModernTls,
        listener({
          protocol: "HTTPS",
          sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
          certificateArn: "arn",
          defaultActions: forward,
        }),
      ),
    ).toEqual([]);
    expect(
      await violations(
        listenersModernTls,
        listener({
          protocol: "HTTPS",
          sslPolicy: "ELBSecurityPolicy-2016-08",
          certificateArn: "arn",
          defaultActions: forward,
        }),
      ),
    ).toEqual(["sslPolicy ELBSecurityPolicy-2016-08 is not a TLS 1.3 policy"]);
  });

  it("accepts the stack files' TLS policy (config checks it too, for an early error)", async () => {
    for (const stack of ["primary", "dr"] as const) {
      const { tlsPolicy } = stackConfig(stack).edge.loadBalancer;
      expect(TLS13_POLICY.test(tlsPolicy), `${stack}: ${tlsPolicy}`).toBe(true);
    }
  });

  it("an HTTPS listener names a TLS 1.3 policy whole, and has a certificate", async () => {
    const https = (inputs: Record<string, unknown>) =>
      violations(
        listenersModernTls,
        listener({ protocol: "HTTPS", certificateArn: "arn", defaultActions: forward, ...inputs }),
      );
    expect(await https({ sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" })).toEqual([]);
    for (const sslPolicy of [
      "x-ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-2021-06/x",
    ])
      expect(await https({ sslPolicy })).toEqual([
        `sslPolicy ${sslPolicy} is not a TLS 1.3 policy`,
      ]);
    expect(
      await https({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: undefined }),
    ).toEqual(["an HTTPS listener needs a certificateArn"]);
    expect(await https({ sslPolicy: undefined })).toEqual([
      "sslPolicy (default ELBSecurityPolicy-2016-08) is not a TLS 1.3 policy",
    ]);
  });

  it("a listener without a protocol is HTTP; every action must redirect to HTTPS", async () => {
    const http = (inputs: Record<string, unknown>) =>
      violations(listenersModernTls, listener(inputs));
    const toHttps = { type: "redirect", redirect: { protocol: "HTTPS", port: "443" } };
    expect(await http({ defaultActions: forward })).toEqual([
      "an HTTP listener may only redirect to HTTPS",
    ]);
    for (const defaultActions of [
      [toHttps, ...forward],
      [{ type: "redirect", redirect: { protocol: "HTTP", port: "80" } }],
      [{ type: "redirect" }],
      [{ type: "forward", redirect: { protocol: "HTTPS" } }],
    ])
      expect(
        await http({ protocol: "HTTP", defaultActions }),
        JSON.stringify(defaultActions),
      ).toEqual(["an HTTP listener may only redirect to HTTPS"]);
    expect(await http({ protocol: "HTTP", defaultActions: [toHttps] })).toEqual([]);
  });

  it("HTTP only redirects to HTTPS", async () => {
    expect(
      await violations(listenersModernTls, listener({ protocol: "HTTP", defaultActions: forward })),
    ).toEqual(["an HTTP listener may only redirect to HTTPS"]);
    expect(
      await violations(
        listenersModernTls,
        listener({
          protocol: "HTTP",
          defaultActions: [
            {
              type: "redirect",
              redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
            },
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe("target group health check", () => {
  const tg = (
    healthCheck: Record<string, unknown>,
    stickiness: unknown = { type: "lb_cookie", enabled: false },
  ) => [
    resource("aws:lb/targetGroup:TargetGroup", "tg", { protocol: "HTTP", healthCheck, stickiness }),
  ];
  const good = {
    enabled: true,
    path: "/health",
    interval: 5,
    timeout: 2,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
  };

  it("within ALB's limits passes", async () => {
    expect(await violations(targetGroupHealthCheck, tg(good))).toEqual([]);
  });

  it("outside them, or with an interval not above the timeout, fails", async () => {
    expect(
      await violations(
        targetGroupHealthCheck,
        tg({ ...good, interval: 4, timeout: 4, unhealthyThreshold: 11 }),
      ),
    ).toEqual([
      "interval 4 outside 5-300 s",
      "unhealthyThreshold 11 outside 2-10",
      "interval 4 s must exceed timeout 4 s",
    ]);
  });

  it("takes ALB's limits inclusive, and names each value outside them", async () => {
    const top = {
      ...good,
      interval: 300,
      timeout: 120,
      healthyThreshold: 10,
      unhealthyThreshold: 10,
    };
    expect(await violations(targetGroupHealthCheck, tg(top))).toEqual([]);
    expect(
      await violations(
        targetGroupHealthCheck,
        tg({ ...good, interval: 301, timeout: 1, healthyThreshold: 1, path: "" }),
      ),
    ).toEqual([
      "interval 301 outside 5-300 s",
      "timeout 1 outside 2-120 s",
      "healthyThreshold 1 outside 2-10",
      "health check needs a path",
    ]);
    expect(await violations(targetGroupHealthCheck, tg({ ...good, enabled: false }))).toEqual([
      "health check must be enabled",
    ]);
    const { interval: _interval, ...noInterval } = good;
    expect(await violations(targetGroupHealthCheck, tg(noInterval))).toEqual([
      "interval undefined outside 5-300 s",
    ]);
  });

  it("asks a stickiness type of HTTP(S) target groups only", async () => {
    const tcp = resource("aws:lb/targetGroup:TargetGroup", "tcp", {
      protocol: "TCP",
      healthCheck: good,
    });
    const noProtocol = resource("aws:lb/targetGroup:TargetGroup", "lambda", { healthCheck: good });
    expect(await violations(targetGroupHealthCheck, [tcp, noProtocol])).toEqual([]);
    const https = resource("aws:lb/targetGroup:TargetGroup", "https", {
      protocol: "HTTPS",
      healthCheck: good,
    });
    expect(await violations(targetGroupHealthCheck, [https])).toEqual([
      "stickiness.type is required, even with stickiness disabled",
    ]);
  });

  it("without a stickiness type fails", async () => {
    expect(await violations(targetGroupHealthCheck, tg(good, { enabled: false }))).toEqual([
      "stickiness.type is required, even with stickiness disabled",
    ]);
  });
});

describe("failover records", () => {
  it("need a health check and aliases that evaluate target health", async () => {
    const record = resource("aws:route53/record:Record", "r", {
      failoverRoutingPolicies: [{ type: "PRIMARY" }],
      setIdentifier: "primary-use1",
      aliases: [{ name: "alb", zoneId: "Z", evaluateTargetHealth: false }],
    });
    expect(await violations(failoverRecordsHealthChecked, [record])).toEqual([
      "a failover record needs a healthCheckId",
      "alias to alb must evaluate target health",
    ]);
  });

  it("need a set identifier; plain records need neither", async () => {
    const failover = resource("aws:route53/record:Record", "f", {
      failoverRoutingPolicies: [{ type: "SECONDARY" }],
      healthCheckId: "hc-1",
    });
    const plain = resource("aws:route53/record:Record", "plain", {
      aliases: [{ name: "alb", zoneId: "Z", evaluateTargetHealth: true }],
    });
    expect(await violations(failoverRecordsHealthChecked, [failover, plain])).toEqual([
      "a failover record needs a setIdentifier",
    ]);
  });
});

describe("load-balancer log bucket encryption", () => {
  const inLogBucket = `vega:edge:Edge$${LOAD_BALANCER_LOG_BUCKET_TYPE}$`;
  const encryption = (algorithm: string, parents: string) => [
    resource(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "e",
      { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm } }] },
      parents,
    ),
  ];

  it("SSE-S3 there, and only there, passes both rules", async () => {
    expect(await violations(loadBalancerLogBucketSseS3, encryption("AES256", inLogBucket))).toEqual(
      [],
    );
    expect(await violations(s3EncryptedWithKms, encryption("AES256", inLogBucket))).toEqual([]);
    expect(
      await violations(s3EncryptedWithKms, encryption("AES256", "vega:backup:BackupVault$")),
    ).toHaveLength(1);
  });

  it("a log-bucket rule without default encryption fails too", async () => {
    const bare = resource(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "e",
      { rules: [{ bucketKeyEnabled: true }] },
      inLogBucket,
    );
    expect(await violations(loadBalancerLogBucketSseS3, [bare])).toEqual([
      "ELB writes access logs only to SSE-S3 (AES256) buckets",
    ]);
  });

  it("SSE-KMS on the log bucket fails (ELB could not deliver)", async () => {
    expect(
      await violations(loadBalancerLogBucketSseS3, encryption("aws:kms", inLogBucket)),
    ).toEqual(["ELB writes access logs only to SSE-S3 (AES256) buckets"]);
  });
});

describe("pinned images", () => {
  it.each([
    ["repo.example.com/vega/gateway:2.4.1", undefined],
    [`repo.example.com/vega/gateway@sha256:${"0".repeat(64)}`, undefined],
    ["repo.example.com/vega/gateway:latest", "repo.example.com/vega/gateway:latest uses latest"],
    [
      "registry.internal:5000/vega/gateway",
      "registry.internal:5000/vega/gateway has no tag (pulls latest)",
    ],
    ["", "no image"],
    [undefined, "no image"],
    [`vega/gateway@sha256:${"0".repeat(64)}`, undefined],
  ])("%s", (image, problem) => {
    expect(imageProblem(image)).toBe(problem);
  });

  it("looks into Kubernetes workloads only, and survives a CronJob without a template", async () => {
    const template = { spec: { containers: [{ name: "c", image: "app" }] } };
    const notKubernetes = resource("aws:ecs/taskDefinition:TaskDefinition", "t", {
      spec: { template },
    });
    const emptyCron = resource("kubernetes:batch/v1:CronJob", "empty", {
      spec: { jobTemplate: {} },
    });
    const noJob = resource("kubernetes:batch/v1:CronJob", "nojob", { spec: {} });
    expect(await violations(imagesPinned, [notKubernetes, emptyCron, noJob])).toEqual([]);
  });

  it("in every pod template, CronJobs and init containers included", async () => {
    const cron = resource("kubernetes:batch/v1:CronJob", "dump", {
      spec: {
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: "dump", image: "postgres" }] } } },
        },
      },
    });
    const deployment = resource("kubernetes:apps/v1:Deployment", "d", {
      spec: {
        template: {
          spec: {
            initContainers: [{ name: "init", image: "busybox:latest" }],
            containers: [{ name: "app", image: "app:1.0" }],
          },
        },
      },
    });
    expect(await violations(imagesPinned, [cron, deployment])).toEqual([
      "dump container dump: postgres has no tag (pulls latest)",
      "d container init: busybox:latest uses latest",
    ]);
  });
});

describe("targets drain safely", () => {
  const labels = { "app.kubernetes.io/name": "vega-gateway" };
  const stack = (pod: { preStop?: number; gate?: boolean; maxUnavailable?: number }) => [
    resource("aws:lb/targetGroup:TargetGroup", "tg", {
      name: "vega-tg-8080",
      deregistrationDelay: 30,
    }),
    resource(TARGET_GROUP_BINDING_TYPE, "binding", {
      metadata: { name: "vega-gateway", namespace: "vega" },
      spec: {
        targetGroupARN: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/vega-tg-8080/abc",
        serviceRef: { name: "vega-gateway", port: 8080 },
      },
    }),
    resource("kubernetes:core/v1:Service", "svc", {
      metadata: { name: "vega-gateway", namespace: "vega" },
      spec: { selector: labels },
    }),
    resource("kubernetes:apps/v1:Deployment", "gw", {
      metadata: { name: "vega-gateway", namespace: "vega" },
      spec: {
        strategy: { rollingUpdate: { maxUnavailable: pod.maxUnavailable ?? 0 } },
        template: {
          metadata: { labels },
          spec: {
            readinessGates:
              pod.gate === false
                ? []
                : [{ conditionType: targetHealthConditionType("vega-gateway") }],
            containers: [
              {
                name: "gateway",
                lifecycle:
                  pod.preStop === undefined
                    ? undefined
                    : { preStop: { sleep: { seconds: pod.preStop } } },
              },
            ],
          },
        },
      },
    }),
  ];

  it("passes with a gate, no unavailable pod and a preStop longer than the delay", async () => {
    expect(await violations(targetsDrainSafely, stack({ preStop: 40 }))).toEqual([]);
  });

  it("finds no Deployment behind a Service that selects nothing, or one without pod labels", async () => {
    const base = stack({ preStop: 40 });
    const withSelector = (selector: unknown) =>
      base.map((r) =>
        r.name === "svc"
          ? { ...r, plainInputs: { ...r.plainInputs, spec: { selector } } }
          : r.name === "gw"
            ? {
                ...r,
                plainInputs: {
                  ...r.plainInputs,
                  spec: { ...(r.plainInputs.spec as object), template: { spec: {} } },
                },
              }
            : r,
      );
    for (const selector of [{}, undefined, labels])
      expect(
        await violations(targetsDrainSafely, withSelector(selector)),
        JSON.stringify(selector),
      ).toEqual(["binding binding: no Deployment behind Service vega-gateway"]);
  });

  it("checks the preStop against the bound target group's delay only when the ARN names one", async () => {
    const unbound = stack({ preStop: 30 }).map((r) =>
      r.name === "binding"
        ? {
            ...r,
            plainInputs: {
              ...r.plainInputs,
              spec: { serviceRef: { name: "vega-gateway", port: 8080 } },
            },
          }
        : r,
    );
    expect(await violations(targetsDrainSafely, unbound)).toEqual([]);
  });

  it("matches Service, Deployments and target group by type, name and namespace; tolerates partial resources", async () => {
    const [tg, binding, service, gw] = stack({ preStop: 40 });
    const noGates = (type: string, name: string, namespace: string) =>
      resource(type, name, {
        metadata: { name: "vega-gateway", namespace },
        spec: { template: { metadata: { labels }, spec: { containers: [{ name: "x" }] } } },
      });
    const resources = [
      // Same name as the target group, but no target group: its delay would fail the preStop.
      resource("aws:lb/listener:Listener", "decoy", {
        name: "vega-tg-8080",
        deregistrationDelay: 100,
      }),
      tg!,
      binding!,
      resource(TARGET_GROUP_BINDING_TYPE, "bare", {}),
      // The Service's name in another namespace, first: it selects nothing.
      resource("kubernetes:core/v1:Service", "elsewhere", {
        metadata: { name: "vega-gateway", namespace: "other" },
        spec: { selector: { app: "nothing" } },
      }),
      service!,
      noGates("kubernetes:apps/v1:Deployment", "other-ns", "other"),
      noGates("kubernetes:apps/v1:StatefulSet", "stateful", "vega"),
      resource("kubernetes:apps/v1:Deployment", "no-metadata", {}),
      resource("kubernetes:apps/v1:Deployment", "no-spec", { metadata: { namespace: "vega" } }),
      resource("kubernetes:apps/v1:Deployment", "no-pod-labels", {
        metadata: { namespace: "vega" },
        spec: { template: {} },
      }),
      gw!,
    ];
    expect(await violations(targetsDrainSafely, resources)).toEqual([
      "binding bare: no Service undefined in namespace undefined",
    ]);
  });

  it("names each missing piece of a Deployment behind the binding", async () => {
    const resources = stack({ preStop: 40 }).map((r) =>
      r.name === "gw"
        ? {
            ...r,
            plainInputs: {
              metadata: { name: "vega-gateway", namespace: "vega" },
              spec: {
                template: {
                  metadata: { labels },
                  spec: {
                    containers: [
                      { name: "a", lifecycle: {} },
                      { name: "b", lifecycle: { preStop: {} } },
                    ],
                  },
                },
              },
            },
          }
        : r,
    );
    expect(await violations(targetsDrainSafely, resources)).toEqual([
      "gw: no readiness gate target-health.elbv2.k8s.aws/vega-gateway",
      "gw: rollingUpdate.maxUnavailable must be 0",
      "gw container a: no preStop sleep",
      "gw container b: no preStop sleep",
    ]);
  });

  it("fails on a preStop that does not outlast the deregistration delay", async () => {
    expect(await violations(targetsDrainSafely, stack({ preStop: 30 }))).toEqual([
      "gw container gateway: preStop 30 s does not outlast the deregistration delay 30 s",
    ]);
  });

  it("fails without preStop, readiness gate, or with unavailable pods allowed", async () => {
    expect(await violations(targetsDrainSafely, stack({ gate: false, maxUnavailable: 1 }))).toEqual(
      [
        "gw: no readiness gate target-health.elbv2.k8s.aws/vega-gateway",
        "gw: rollingUpdate.maxUnavailable must be 0",
        "gw container gateway: no preStop sleep",
      ],
    );
  });
});
