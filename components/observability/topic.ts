import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlertSubscription } from "../../config";
import { childName, type PolicyDocument } from "../core";

const CLOUDWATCH = "cloudwatch.amazonaws.com";

/**
 * Key policy of the topic's key: the account administers it; CloudWatch alarms may use it to
 * publish (an SSE topic with the AWS-managed SNS key silently drops alarm notifications).
 */
export function alertTopicKeyPolicy(accountRootArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: accountRootArn },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: CLOUDWATCH },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
      },
    ],
  };
}

/** Topic policy: this account's CloudWatch alarms publish; nothing reaches it without TLS. */
export function alertTopicPolicy(topicArn: string, accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: CLOUDWATCH },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** A stable short key per subscriber, so reordering the config list replaces nothing. */
export const subscriptionKey = (s: AlertSubscription) =>
  createHash("sha256").update(`${s.protocol}:${s.endpoint}`).digest("hex").slice(0, 8);

export interface AlertTopicArgs {
  /** Region of the topic (the alarms that notify it must be in the same one). Required. */
  region: string;
  /** Who is notified. Default none. */
  subscriptions?: AlertSubscription[];
  /** Protect the topic's KMS key against deletion. Default true. */
  protect?: boolean;
}

/** The SNS topic CloudWatch alarms notify: encrypted with its own key, subscribers from config. */
export class AlertTopic extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;
  public readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vega:observability:AlertTopic", name, {}, opts);
    const region = args.region;
    const child = { parent: this };
    const caller = aws.getCallerIdentityOutput({}, child);
    const accountRoot = caller.arn.apply(
      (arn) => `arn:${arn.split(":")[1]}:iam::${arn.split(":")[4]}:root`,
    );

    const key = new aws.kms.Key(
      childName(name, "key"),
      {
        region,
        description: `Alert notifications of ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: accountRoot.apply((root) => JSON.stringify(alertTopicKeyPolicy(root))),
      },
      { ...child, protect: args.protect ?? true },
    );
    new aws.kms.Alias(
      childName(name, "key-alias"),
      { region, name: `alias/${name}`, targetKeyId: key.keyId },
      child,
    );

    this.topic = new aws.sns.Topic(
      childName(name, "topic"),
      { region, kmsMasterKeyId: key.arn },
      child,
    );
    this.topicArn = this.topic.arn;
    new aws.sns.TopicPolicy(
      childName(name, "topic-policy"),
      {
        region,
        arn: this.topic.arn,
        policy: pulumi
          .all([this.topic.arn, caller.accountId])
          .apply(([arn, account]) => JSON.stringify(alertTopicPolicy(arn, account))),
      },
      child,
    );

    for (const s of args.subscriptions ?? []) {
      new aws.sns.TopicSubscription(
        childName(name, `subscription-${subscriptionKey(s)}`),
        {
          region,
          topic: this.topic.arn,
          protocol: s.protocol,
          // An https endpoint often carries an integration key in its URL.
          endpoint: s.protocol === "https" ? pulumi.secret(s.endpoint) : s.endpoint,
        },
        child,
      );
    }

    this.registerOutputs({ topicArn: this.topicArn });
  }
}
