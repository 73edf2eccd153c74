/** Mutations that prove the edge and compute rules of edge.ts (see mutation.ts). */
import { LOAD_BALANCER_LOG_BUCKET_TYPE } from "../components/edge/access-logs";
import { TARGET_GROUP_BINDING_TYPE } from "../components/edge/binding";
import type { RecordedResource } from "../components/core/plan";
import {
  albWaitsForLogBucketPolicy,
  albAccessLogged,
  albDeletionProtected,
  albDropsInvalidHeaders,
  failoverRecordsHealthChecked,
  imagesPinned,
  listenersModernTls,
  loadBalancerLogBucketSseS3,
  targetGroupHealthCheck,
  targetsDrainSafely,
} from "./edge";
import { editInputs, editResource, inside, podSpec, type PolicyMutation } from "./mutation";

const ALB = { type: "aws:lb/loadBalancer:LoadBalancer" };
const HTTPS = {
  type: "aws:lb/listener:Listener",
  where: (r: { inputs: Record<string, unknown> }) => r.inputs.protocol === "HTTPS",
};
const HTTP = {
  type: "aws:lb/listener:Listener",
  where: (r: { inputs: Record<string, unknown> }) => r.inputs.protocol === "HTTP",
};
const TARGET_GROUP = { type: "aws:lb/targetGroup:TargetGroup" };
const FAILOVER_RECORD = { type: "aws:route53/record:Record" };
/** The Deployment behind the TargetGroupBinding: the gateway's. */
const BOUND_DEPLOYMENT = {
  type: "kubernetes:apps/v1:Deployment",
  where: inside("vega:gateway:Gateway"),
};

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** The ALB's dependencies with its log bucket's policy swapped for `replacement` (or dropped). */
const albDependsInstead = (replacement: (resources: readonly RecordedResource[]) => string[]) =>
  ((resources) => {
    const isPolicy = (urn: string) => resources.find((r) => r.urn === urn)?.type === BUCKET_POLICY;
    return editResource(ALB, (r) => ({
      dependencies: [...r.dependencies.filter((u) => !isPolicy(u)), ...replacement(resources)],
    }))(resources);
  }) satisfies PolicyMutation["apply"];

export const edgeMutations: PolicyMutation[] = [
  {
    rule: albWaitsForLogBucketPolicy,
    breaks: "the ALB created before its log bucket may be written to",
    apply: albDependsInstead(() => []),
  },
  {
    rule: albWaitsForLogBucketPolicy,
    breaks: "the ALB waits for another bucket's policy",
    apply: albDependsInstead((resources) =>
      resources
        .filter((r) => r.type === BUCKET_POLICY && !inside(LOAD_BALANCER_LOG_BUCKET_TYPE)(r))
        .map((r) => r.urn),
    ),
  },
  {
    rule: albDropsInvalidHeaders,
    breaks: "the ALB passes invalid header fields on",
    apply: editInputs(ALB, (p) => (p.dropInvalidHeaderFields = false)),
  },
  {
    rule: albAccessLogged,
    breaks: "the ALB's access logs off",
    apply: editInputs(ALB, (p) => (p.accessLogs.enabled = false)),
  },
  {
    rule: albAccessLogged,
    breaks: "the ALB's access logs without a bucket",
    apply: editInputs(ALB, (p) => delete p.accessLogs.bucket),
  },
  {
    rule: albDeletionProtected,
    breaks: "the ALB's deletion protection off",
    apply: editInputs(ALB, (p) => (p.enableDeletionProtection = false)),
  },
  {
    rule: listenersModernTls,
    breaks: "the HTTPS listener on a TLS 1.0 policy",
    apply: editInputs(HTTPS, (p) => (p.sslPolicy = "ELBSecurityPolicy-2016-08")),
  },
  {
    rule: listenersModernTls,
    breaks: "the HTTPS listener without a certificate",
    apply: editInputs(HTTPS, (p) => delete p.certificateArn),
  },
  {
    rule: listenersModernTls,
    breaks: "the HTTP listener forwards instead of redirecting",
    apply: editInputs(HTTP, (p) => {
      p.defaultActions = [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:tg" }];
    }),
  },
  {
    rule: targetGroupHealthCheck,
    breaks: "the target group's health check disabled",
    apply: editInputs(TARGET_GROUP, (p) => (p.healthCheck.enabled = false)),
  },
  {
    rule: targetGroupHealthCheck,
    breaks: "the health check's interval not above its timeout",
    apply: editInputs(TARGET_GROUP, (p) => (p.healthCheck.timeout = p.healthCheck.interval)),
  },
  {
    rule: targetGroupHealthCheck,
    breaks: "the health check's unhealthy threshold above ALB's 10",
    apply: editInputs(TARGET_GROUP, (p) => (p.healthCheck.unhealthyThreshold = 11)),
  },
  {
    rule: targetGroupHealthCheck,
    breaks: "the health check without a path",
    apply: editInputs(TARGET_GROUP, (p) => delete p.healthCheck.path),
  },
  {
    rule: targetGroupHealthCheck,
    breaks: "the HTTP target group without a stickiness type",
    apply: editInputs(TARGET_GROUP, (p) => delete p.stickiness),
  },
  {
    rule: failoverRecordsHealthChecked,
    breaks: "the failover record without a health check",
    apply: editInputs(FAILOVER_RECORD, (p) => delete p.healthCheckId),
  },
  {
    rule: failoverRecordsHealthChecked,
    breaks: "the failover record without a set identifier",
    apply: editInputs(FAILOVER_RECORD, (p) => delete p.setIdentifier),
  },
  {
    rule: failoverRecordsHealthChecked,
    breaks: "the failover alias ignores target health",
    apply: editInputs(FAILOVER_RECORD, (p) => (p.aliases[0].evaluateTargetHealth = false)),
  },
  {
    rule: loadBalancerLogBucketSseS3,
    breaks: "the load-balancer log bucket on SSE-KMS",
    apply: editInputs(
      {
        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        where: inside(LOAD_BALANCER_LOG_BUCKET_TYPE),
      },
      (p) => {
        p.rules[0].applyServerSideEncryptionByDefault = {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: "alias/vega-logs",
        };
      },
    ),
  },
  {
    rule: imagesPinned,
    breaks: "a container on the latest tag",
    apply: editInputs(BOUND_DEPLOYMENT, (p) => {
      const c = podSpec(p).containers[0];
      c.image = `${c.image.slice(0, c.image.lastIndexOf(":"))}:latest`;
    }),
  },
  {
    rule: imagesPinned,
    breaks: "a container image without a tag",
    apply: editInputs({ type: "kubernetes:apps/v1:StatefulSet" }, (p) => {
      const c = podSpec(p).containers[0];
      c.image = c.image.slice(0, c.image.lastIndexOf(":"));
    }),
  },
  {
    rule: targetsDrainSafely,
    breaks: "bound pods without the target-health readiness gate",
    apply: editInputs(BOUND_DEPLOYMENT, (p) => delete podSpec(p).readinessGates),
  },
  {
    rule: targetsDrainSafely,
    breaks: "a rollout that may take a bound pod down before its successor is ready",
    apply: editInputs(BOUND_DEPLOYMENT, (p) => (p.spec.strategy.rollingUpdate.maxUnavailable = 1)),
  },
  {
    rule: targetsDrainSafely,
    breaks: "bound pods without a preStop sleep",
    apply: editInputs(BOUND_DEPLOYMENT, (p) => delete podSpec(p).containers[0].lifecycle),
  },
  {
    rule: targetsDrainSafely,
    breaks: "a preStop sleep no longer than the deregistration delay",
    apply: (resources) => {
      const delay = resources.find((r) => r.type === TARGET_GROUP.type)?.plainInputs
        .deregistrationDelay as number | undefined;
      if (delay === undefined) return undefined;
      return editInputs(BOUND_DEPLOYMENT, (p) => {
        podSpec(p).containers[0].lifecycle.preStop.sleep.seconds = delay;
      })(resources);
    },
  },
  {
    rule: targetsDrainSafely,
    breaks: "the binding points at a Service that does not exist",
    apply: editInputs(
      { type: TARGET_GROUP_BINDING_TYPE },
      (p) => (p.spec.serviceRef.name = "vega-gateway-renamed"),
    ),
  },
  {
    rule: targetsDrainSafely,
    breaks: "the bound Service selects no Deployment",
    apply: editInputs(
      { type: "kubernetes:core/v1:Service", where: inside("vega:gateway:Gateway") },
      (p) => (p.spec.selector = { ...p.spec.selector, "app.kubernetes.io/name": "nobody" }),
    ),
  },
];
