/**
 * Plausible values for what a provider computes (ARNs, ids, endpoints), so that outputs built on
 * them resolve under mocks instead of staying unknown. Deterministic: the same program gives the
 * same plan, which is what makes plan diffs readable.
 */
import { createHash } from "node:crypto";
import type { ResourceProps } from "../../components/core/plan";

export const MOCK_ACCOUNT_ID = "123456789012";

export interface ComputeContext {
  type: string;
  name: string;
  inputs: ResourceProps;
  /** Region of the resource (its `region` input, else its provider's). */
  region: string;
}

/** A short stable hex token derived from a name, standing in for random provider suffixes. */
export function token(name: string, length = 8): string {
  return createHash("sha256").update(name).digest("hex").slice(0, length);
}

type Computer = (ctx: ComputeContext) => Record<string, unknown>;

function autoNamedK8s({ name, inputs }: ComputeContext): Record<string, unknown> {
  const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
  return { metadata: { ...metadata, name: metadata.name ?? `${name}-${token(name, 8)}` } };
}

const arn = (service: string, region: string, resource: string) =>
  `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;

/** Per-type computed outputs. Add an entry when a component reads a computed output. */
export const COMPUTED: Record<string, Computer> = {
  "aws:s3/bucket:Bucket": ({ name, inputs, region }) => {
    const bucket = inputs.bucket ?? `${name}-${token(name, 7)}`;
    return {
      bucket,
      arn: `arn:aws:s3:::${bucket}`,
      bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
      region,
    };
  },
  "aws:kms/key:Key": ({ name, region }) => {
    const keyId = `${token(name, 8)}-${token(`${name}/1`, 4)}-${token(`${name}/2`, 4)}-${token(`${name}/3`, 4)}-${token(`${name}/4`, 12)}`;
    return { keyId, arn: arn("kms", region, `key/${keyId}`) };
  },
  "aws:kms/alias:Alias": ({ inputs, region }) => ({ arn: arn("kms", region, String(inputs.name)) }),
  "aws:iam/role:Role": ({ name, inputs }) => {
    const roleName = inputs.name ?? `${name}-${token(name, 7)}`;
    return {
      name: roleName,
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${roleName}`,
      uniqueId: `AROA${token(name, 16).toUpperCase()}`,
    };
  },
  "aws:iam/policy:Policy": ({ name, inputs }) => {
    const policyName = inputs.name ?? `${name}-${token(name, 7)}`;
    return { name: policyName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${policyName}` };
  },
  "aws:sns/topic:Topic": ({ name, inputs, region }) => {
    const topicName = inputs.name ?? `${name}-${token(name, 7)}`;
    return { name: topicName, arn: arn("sns", region, topicName) };
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": ({ name, inputs, region }) => ({
    arn: arn("cloudwatch", region, `alarm:${inputs.name ?? name}`),
  }),
  "aws:lb/loadBalancer:LoadBalancer": ({ name, inputs, region }) => {
    const lbName = inputs.name ?? name.slice(0, 32);
    const suffix = `app/${lbName}/${token(name, 16)}`;
    return {
      name: lbName,
      arn: arn("elasticloadbalancing", region, `loadbalancer/${suffix}`),
      arnSuffix: suffix,
      dnsName: `${lbName}-${token(name, 10)}.${region}.elb.amazonaws.com`,
      zoneId: ALB_HOSTED_ZONES[region] ?? "Z0MOCKALBZONE",
    };
  },
  "aws:lb/targetGroup:TargetGroup": ({ name, inputs, region }) => {
    const tgName = inputs.name ?? name.slice(0, 32);
    const suffix = `targetgroup/${tgName}/${token(name, 16)}`;
    return { name: tgName, arn: arn("elasticloadbalancing", region, suffix), arnSuffix: suffix };
  },
  "aws:lb/listener:Listener": ({ name, region }) => ({
    arn: arn("elasticloadbalancing", region, `listener/app/${token(name, 16)}`),
  }),
  "aws:opensearch/domain:Domain": ({ name, inputs, region }) => {
    const domainName = inputs.domainName ?? name.slice(0, 28);
    return {
      domainName,
      arn: arn("es", region, `domain/${domainName}`),
      domainId: `${MOCK_ACCOUNT_ID}/${domainName}`,
      endpoint: `vpc-${domainName}-${token(name, 26)}.${region}.es.amazonaws.com`,
    };
  },
  "aws:cloudwatch/logGroup:LogGroup": ({ name, inputs, region }) => ({
    arn: arn("logs", region, `log-group:${inputs.name ?? name}`),
  }),
  "aws:route53/record:Record": ({ inputs }) => ({ fqdn: inputs.name }),
  "aws:rds/instance:Instance": ({ name, inputs, region }) => {
    const identifier = inputs.identifier ?? `${name}-${token(name, 7)}`;
    const address = `${identifier}.${token(`${region}/rds`, 12)}.${region}.rds.amazonaws.com`;
    return {
      identifier,
      arn: arn("rds", region, `db:${identifier}`),
      address,
      endpoint: `${address}:${inputs.port ?? 5432}`,
      port: inputs.port ?? 5432,
      resourceId: `db-${token(name, 26).toUpperCase()}`,
      masterUserSecrets: inputs.manageMasterUserPassword
        ? [{ secretArn: arn("secretsmanager", region, `secret:rds!db-${token(name, 12)}`) }]
        : [],
    };
  },
  "aws:rds/parameterGroup:ParameterGroup": ({ name, inputs }) => ({
    name: inputs.name ?? `${inputs.namePrefix ?? name}${token(name, 12)}`,
  }),
  "aws:rds/subnetGroup:SubnetGroup": ({ name, inputs }) => ({ name: inputs.name ?? name }),
  // Kubernetes auto-names objects without metadata.name (logical name + random suffix).
  "kubernetes:core/v1:ConfigMap": autoNamedK8s,
  "kubernetes:core/v1:Secret": autoNamedK8s,
  "random:index/randomPassword:RandomPassword": ({ name, inputs }) => ({
    result: token(`password/${name}`, 64).slice(0, Number(inputs.length ?? 32)),
  }),
};

/** Route 53 zones of ALB DNS names in the regions the stack files use (AWS general reference). */
const ALB_HOSTED_ZONES: Record<string, string> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-west-2": "Z1H1FL5HABSF5",
};

/** Outputs for any resource: its inputs, a generic ARN for AWS types, then the type's own. */
export function computedOutputs(ctx: ComputeContext): Record<string, unknown> {
  const generic: Record<string, unknown> = {};
  if (ctx.type.startsWith("aws:")) {
    const service = ctx.type.split(":")[1]!.split("/")[0]!;
    generic.arn = arn(service, ctx.region, `${service}/${ctx.name}`);
  }
  return { ...ctx.inputs, ...generic, ...(COMPUTED[ctx.type]?.(ctx) ?? {}) };
}
