/**
 * Edge and compute guardrails (seed 17.1-17.5): a hardened ALB, health checks ALB accepts, DNS
 * failover that actually evaluates health, rollouts that never cut requests, pinned images.
 */
import * as aws from "@pulumi/aws";
import {
  validateResourceOfType,
  type PolicyResource,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { ALB_HEALTH_CHECK_LIMITS } from "../config/edge";
import { LOAD_BALANCER_LOG_BUCKET_TYPE } from "../components/edge/access-logs";
import { TARGET_GROUP_BINDING_TYPE, targetHealthConditionType } from "../components/edge/binding";

const isApplication = (lb: { loadBalancerType?: string }) =>
  (lb.loadBalancerType ?? "application") === "application";

export const albDropsInvalidHeaders: ResourceValidationPolicy = {
  name: "vega-alb-drops-invalid-headers",
  description:
    "Application load balancers drop header fields that are not valid (request smuggling defence).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set `dropInvalidHeaderFields: true` on the application load balancer.",
  validateResource: validateResourceOfType(aws.lb.LoadBalancer, (lb, _args, report) => {
    if (isApplication(lb) && lb.dropInvalidHeaderFields !== true)
      report("dropInvalidHeaderFields must be true");
  }),
};

export const albAccessLogged: ResourceValidationPolicy = {
  name: "vega-alb-access-logs",
  description: "Application load balancers write access logs to a bucket.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `accessLogs: { enabled: true, bucket: <the load-balancer log bucket> }` on the load balancer.",
  validateResource: validateResourceOfType(aws.lb.LoadBalancer, (lb, _args, report) => {
    if (isApplication(lb) && (lb.accessLogs?.enabled !== true || !lb.accessLogs.bucket))
      report("accessLogs must be enabled with a bucket");
  }),
};

export const albDeletionProtected: ResourceValidationPolicy = {
  name: "vega-alb-deletion-protection",
  description:
    "Load balancers have deletion protection (their DNS name is what the failover records point at). Config allowUnprotected for throwaway stacks.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set `enableDeletionProtection: true` on the load balancer; for a throwaway stack set allowUnprotected in policies/policy-config.json.",
  configSchema: {
    properties: {
      allowUnprotected: {
        type: "boolean",
        default: false,
        description: "Allow unprotected load balancers (throwaway stacks only).",
      },
    },
  },
  validateResource: validateResourceOfType(aws.lb.LoadBalancer, (lb, args, report) => {
    if (args.getConfig<{ allowUnprotected?: boolean }>().allowUnprotected) return;
    if (lb.enableDeletionProtection !== true) report("enableDeletionProtection must be true");
  }),
};

/**
 * AWS checks that ELB may write to the access-log bucket when logging is switched on, so an ALB
 * created beside its bucket policy fails at random ("Access Denied for bucket ... Please check
 * S3bucket permission", terraform-provider-aws#12010): it must depend on that policy.
 */
export const albWaitsForLogBucketPolicy: StackValidationPolicy = {
  name: "vega-alb-waits-for-log-bucket-policy",
  description:
    "An application load balancer that writes access logs depends on its log bucket's policy, so the first apply does not fail AWS's write check.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the load balancer with `dependsOn` the log bucket's BucketPolicy (the one that lets ELB write to it).",
  validateStack: (args, report) => {
    for (const lb of args.resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")) {
      if (!isApplication(lb.props) || lb.props.accessLogs?.enabled !== true) continue;
      const bucket = lb.props.accessLogs.bucket;
      const policies = lb.dependencies.filter((d) => d.type === "aws:s3/bucketPolicy:BucketPolicy");
      // A bucket name not known yet (a new bucket under `pulumi preview`) cannot be matched.
      const ofBucket = policies.filter(
        (p) =>
          typeof bucket !== "string" || p.props.bucket === undefined || p.props.bucket === bucket,
      );
      if (ofBucket.length === 0)
        report(
          `${lb.name} logs to ${bucket ?? "its bucket"} but does not depend on that bucket's policy`,
          lb.urn,
        );
    }
  },
};

/**
 * ELB security policies an HTTPS listener may use: the TLS 1.3 family (2021-06 and later: TLS 1.2
 * at the least, forward secrecy). The guard states its own requirement and imports none from the
 * config it checks (config/edge.ts validates the same for an early error): loosening the config
 * cannot loosen the guard.
 */
export const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$/;

export const listenersModernTls: ResourceValidationPolicy = {
  name: "vega-listener-modern-tls",
  description:
    "HTTPS listeners use a TLS 1.3 ELB security policy; plain HTTP listeners only redirect to HTTPS.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give HTTPS listeners an ELBSecurityPolicy-TLS13-1-2-* (or 1-3) sslPolicy and a certificateArn; make HTTP listeners redirect to HTTPS only.",
  validateResource: validateResourceOfType(aws.lb.Listener, (l, _args, report) => {
    if (l.protocol === "HTTPS") {
      if (!TLS13_POLICY.test(l.sslPolicy ?? ""))
        report(
          `sslPolicy ${l.sslPolicy ?? "(default ELBSecurityPolicy-2016-08)"} is not a TLS 1.3 policy`,
        );
      if (!l.certificateArn) report("an HTTPS listener needs a certificateArn");
    }
    if (l.protocol === "HTTP" || l.protocol === undefined) {
      const redirectsToHttps = (l.defaultActions ?? []).every(
        (a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS",
      );
      if (!redirectsToHttps) report("an HTTP listener may only redirect to HTTPS");
    }
  }),
};

/** Problems of a target group health check against what ALB accepts. */
export function healthCheckProblems(
  hc:
    | {
        enabled?: boolean;
        interval?: number;
        timeout?: number;
        healthyThreshold?: number;
        unhealthyThreshold?: number;
        path?: string;
      }
    | undefined,
): string[] {
  if (!hc || hc.enabled === false) return ["health check must be enabled"];
  const { intervalSeconds, timeoutSeconds, threshold } = ALB_HEALTH_CHECK_LIMITS;
  // A missing value is outside every range (NaN compares false).
  const within = (v: number | undefined, r: { min: number; max: number }) =>
    (v ?? Number.NaN) >= r.min && (v ?? Number.NaN) <= r.max;
  const problems: string[] = [];
  if (!within(hc.interval, intervalSeconds))
    problems.push(
      `interval ${hc.interval} outside ${intervalSeconds.min}-${intervalSeconds.max} s`,
    );
  if (!within(hc.timeout, timeoutSeconds))
    problems.push(`timeout ${hc.timeout} outside ${timeoutSeconds.min}-${timeoutSeconds.max} s`);
  if (!within(hc.healthyThreshold, threshold))
    problems.push(
      `healthyThreshold ${hc.healthyThreshold} outside ${threshold.min}-${threshold.max}`,
    );
  if (!within(hc.unhealthyThreshold, threshold))
    problems.push(
      `unhealthyThreshold ${hc.unhealthyThreshold} outside ${threshold.min}-${threshold.max}`,
    );
  if ((hc.interval ?? Number.POSITIVE_INFINITY) <= (hc.timeout ?? Number.NEGATIVE_INFINITY))
    problems.push(`interval ${hc.interval} s must exceed timeout ${hc.timeout} s`);
  if (!hc.path) problems.push("health check needs a path");
  return problems;
}

export const targetGroupHealthCheck: ResourceValidationPolicy = {
  name: "vega-target-group-health-check",
  description:
    "Target groups check health within ALB's limits (interval 5-300 s above a 2-120 s timeout, thresholds 2-10) and state their stickiness type.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Enable the target group's health check with a path, interval 5-300 s above a 2-120 s timeout and thresholds 2-10 (vega-ha:edge.targetGroup), and set stickiness.type.",
  validateResource: validateResourceOfType(aws.lb.TargetGroup, (tg, _args, report) => {
    for (const problem of healthCheckProblems(tg.healthCheck)) report(problem);
    if (tg.protocol?.startsWith("HTTP") && !tg.stickiness?.type)
      report("stickiness.type is required, even with stickiness disabled");
  }),
};

export const failoverRecordsHealthChecked: ResourceValidationPolicy = {
  name: "vega-failover-records-health-checked",
  description:
    "Route 53 failover records carry a health check and a set identifier, and aliases evaluate target health.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give each failover record the region's healthCheckId and a setIdentifier, and set evaluateTargetHealth: true on its alias.",
  validateResource: validateResourceOfType(aws.route53.Record, (r, _args, report) => {
    if ((r.failoverRoutingPolicies ?? []).length === 0) return;
    if (!r.healthCheckId) report("a failover record needs a healthCheckId");
    if (!r.setIdentifier) report("a failover record needs a setIdentifier");
    for (const alias of r.aliases ?? [])
      if (alias.evaluateTargetHealth !== true)
        report(`alias to ${alias.name} must evaluate target health`);
  }),
};

export const loadBalancerLogBucketSseS3: ResourceValidationPolicy = {
  name: "vega-lb-log-bucket-sse-s3",
  description:
    "The load-balancer log bucket is encrypted with SSE-S3, the only encryption ELB can deliver access logs to.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Encrypt the load-balancer log bucket with SSE-S3 (`sseAlgorithm: "AES256"`): ELB cannot write access logs to SSE-KMS.',
  validateResource: validateResourceOfType(
    aws.s3.BucketServerSideEncryptionConfiguration,
    (e, args, report) => {
      if (!args.urn.includes(`${LOAD_BALANCER_LOG_BUCKET_TYPE}$`)) return;
      for (const rule of e.rules ?? []) {
        if (rule.applyServerSideEncryptionByDefault?.sseAlgorithm !== "AES256")
          report("ELB writes access logs only to SSE-S3 (AES256) buckets");
      }
    },
  ),
};

type Props = PolicyResource["props"];

/** Pod specs of a workload resource (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
export function podSpecsOf(r: { type: string; props: Props }): Props[] {
  if (!r.type.startsWith("kubernetes:")) return [];
  const spec = r.props.spec ?? {};
  const template = r.type.endsWith(":CronJob") ? spec.jobTemplate?.spec?.template : spec.template;
  return template?.spec ? [template.spec] : [];
}

/** Why an image reference is not pinned, or undefined. */
export function imageProblem(image: string | undefined): string | undefined {
  if (!image) return "no image";
  if (image.includes("@sha256:")) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":")
    ? lastSegment.slice(lastSegment.indexOf(":") + 1)
    : undefined;
  if (tag === undefined) return `${image} has no tag (pulls latest)`;
  if (tag === "latest") return `${image} uses latest`;
  return undefined;
}

export const imagesPinned: StackValidationPolicy = {
  name: "vega-images-pinned",
  description: "Every container image is pinned by tag (never latest) or digest.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give every container image a tag other than latest, or a digest (`@sha256:`), in the stack config (vega-ha:<area>.image).",
  validateStack: (args, report) => {
    for (const r of args.resources) {
      for (const pod of podSpecsOf(r)) {
        for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
          const problem = imageProblem(c.image);
          if (problem) report(`${r.name} container ${c.name}: ${problem}`, r.urn);
        }
      }
    }
  },
};

const matches = (labels: Props | undefined, selector: Props | undefined) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The target group a binding points at, by the name inside its ARN (targetgroup/<name>/<id>). */
function boundTargetGroup(resources: PolicyResource[], arn: unknown): PolicyResource | undefined {
  const name = /:targetgroup\/([^/]+)\//.exec(typeof arn === "string" ? arn : "")?.[1];
  return name
    ? resources.find((r) => r.type === "aws:lb/targetGroup:TargetGroup" && r.props.name === name)
    : undefined;
}

export const targetsDrainSafely: StackValidationPolicy = {
  name: "vega-lb-targets-drain-safely",
  description:
    "Pods behind a TargetGroupBinding roll without cutting requests: readiness gated on target health, no unavailable pod during a rollout, and a preStop sleep longer than the target group's deregistration delay.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Behind a TargetGroupBinding: add the binding's readiness gate, set rollingUpdate.maxUnavailable: 0, and give every container a preStop sleep longer than the target group's deregistration delay.",
  validateStack: (args, report) => {
    for (const binding of args.resources.filter((r) => r.type === TARGET_GROUP_BINDING_TYPE)) {
      const namespace = binding.props.metadata?.namespace;
      const serviceName = binding.props.spec?.serviceRef?.name;
      const service = args.resources.find(
        (r) =>
          r.type === "kubernetes:core/v1:Service" &&
          r.props.metadata?.name === serviceName &&
          r.props.metadata?.namespace === namespace,
      );
      if (!service) {
        report(
          `binding ${binding.name}: no Service ${serviceName} in namespace ${namespace}`,
          binding.urn,
        );
        continue;
      }
      const deployments = args.resources.filter(
        (r) =>
          r.type === "kubernetes:apps/v1:Deployment" &&
          r.props.metadata?.namespace === namespace &&
          matches(r.props.spec?.template?.metadata?.labels, service.props.spec?.selector),
      );
      if (deployments.length === 0)
        report(`binding ${binding.name}: no Deployment behind Service ${serviceName}`, binding.urn);
      const delay = boundTargetGroup(args.resources, binding.props.spec?.targetGroupARN)?.props
        .deregistrationDelay;
      const gate = targetHealthConditionType(binding.props.metadata?.name);
      for (const d of deployments) {
        const pod = d.props.spec.template.spec ?? {};
        if (!(pod.readinessGates ?? []).some((g: Props) => g.conditionType === gate))
          report(`${d.name}: no readiness gate ${gate}`, d.urn);
        if (d.props.spec?.strategy?.rollingUpdate?.maxUnavailable !== 0)
          report(`${d.name}: rollingUpdate.maxUnavailable must be 0`, d.urn);
        for (const c of pod.containers ?? []) {
          const sleep = c.lifecycle?.preStop?.sleep?.seconds;
          if (typeof sleep !== "number")
            report(`${d.name} container ${c.name}: no preStop sleep`, d.urn);
          else if (typeof delay === "number" && sleep <= delay)
            report(
              `${d.name} container ${c.name}: preStop ${sleep} s does not outlast the deregistration delay ${delay} s`,
              d.urn,
            );
        }
      }
    }
  },
};

export const edgePolicies = [
  albDropsInvalidHeaders,
  albAccessLogged,
  albDeletionProtected,
  albWaitsForLogBucketPolicy,
  listenersModernTls,
  targetGroupHealthCheck,
  failoverRecordsHealthChecked,
  loadBalancerLogBucketSseS3,
  imagesPinned,
  targetsDrainSafely,
];
