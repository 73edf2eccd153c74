/**
 * Observability guardrails (seed 15): Prometheus picks the rules up, every alert can be routed
 * and acted on, alarm notifications are encrypted and reach someone.
 */
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";

const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const SEVERITIES = ["warning", "critical"];

interface RecordedAlert {
  alert?: string;
  record?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const prometheusRuleSelected: ResourceValidationPolicy = {
  name: "vega-prometheusrule-release-label",
  description:
    "PrometheusRules carry the `release` label kube-prometheus-stack selects rules by; without it they are silently ignored.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set metadata.labels.release to the kube-prometheus-stack release (vega-ha:observability.release).",
  validateResource: (args, report) => {
    if (args.type !== PROMETHEUS_RULE) return;
    const release = args.props.metadata?.labels?.release;
    if (typeof release !== "string" || release === "") report(`${args.name} has no release label`);
  },
};

export const alertsActionable: ResourceValidationPolicy = {
  name: "vega-alerts-actionable",
  description:
    "Every alert has a `for`, `severity` (warning or critical) as its only label, and summary, description and an https runbook_url.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give every alert a `for`, only a severity label (warning or critical), and summary, description and an https runbook_url annotation.",
  validateResource: (args, report) => {
    if (args.type !== PROMETHEUS_RULE) return;
    const groups = (args.props.spec?.groups ?? []) as { rules?: RecordedAlert[] }[];
    for (const rule of groups.flatMap((g) => g.rules ?? []).filter((r) => r.alert !== undefined)) {
      const at = `alert ${rule.alert}`;
      const labels = Object.keys(rule.labels ?? {});
      if (!SEVERITIES.includes(rule.labels?.severity ?? ""))
        report(`${at}: severity must be one of ${SEVERITIES.join(", ")}`);
      if (labels.some((l) => l !== "severity"))
        report(`${at}: severity is the only label allowed (got ${labels.join(", ")})`);
      if (!rule.for) report(`${at}: no for (one bad scrape would page)`);
      for (const key of ["summary", "description", "runbook_url"])
        if (!rule.annotations?.[key]) report(`${at}: no ${key} annotation`);
      if (rule.annotations?.runbook_url && !rule.annotations.runbook_url.startsWith("https://"))
        report(`${at}: runbook_url must be an https URL`);
    }
  },
};

export const snsTopicEncrypted: ResourceValidationPolicy = {
  name: "vega-sns-topic-encrypted",
  description:
    "SNS topics are encrypted with a customer managed KMS key (alarms cannot publish to one under the AWS-managed SNS key).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set the topic's kmsMasterKeyId to a customer managed KMS key whose policy lets CloudWatch use it.",
  validateResource: validateResourceOfType(aws.sns.Topic, (t, args, report) => {
    const key = t.kmsMasterKeyId;
    if (!key) report(`${args.name} is not encrypted (kmsMasterKeyId)`);
    else if (key === "alias/aws/sns")
      report(`${args.name} uses the AWS-managed key, which CloudWatch alarms cannot publish with`);
  }),
};

export const alarmsNotify: ResourceValidationPolicy = {
  name: "vega-alarms-notify",
  description:
    "Every CloudWatch alarm notifies at least one action on ALARM, and its actions are enabled.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the alarm the stack's alert topic in alarmActions and leave actionsEnabled on.",
  validateResource: validateResourceOfType(aws.cloudwatch.MetricAlarm, (a, args, report) => {
    if ((a.alarmActions ?? []).length === 0) report(`${args.name} notifies nobody`);
    if (a.actionsEnabled === false) report(`${args.name} has its actions disabled`);
  }),
};

export const observabilityPolicies = [
  prometheusRuleSelected,
  alertsActionable,
  snsTopicEncrypted,
  alarmsNotify,
];
