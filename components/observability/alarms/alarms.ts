import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, fitName } from "../../core";
import { alarmSpecProblems, metricAlarmArgs, type AlarmSpec } from "./spec";

export interface CloudWatchAlarmsArgs {
  /** Region of the alarms; an alarm only sees metrics of its own region. Required. */
  region: pulumi.Input<string>;
  /** SNS topic notified on ALARM and on OK, in that same region. Required. */
  topicArn: pulumi.Input<string>;
  /** What to watch (the builders in alarms/builders.ts). Required, may be empty. */
  alarms: AlarmSpec[];
  /**
   * Keep the alarms in AWS when they leave the program. For alarms placed in another stack's
   * region, which may be unreachable when they are removed (DR promotion). Default false.
   */
  retainOnDelete?: boolean;
}

/** Throws at once, listing every problem, before anything is registered. */
export function validateAlarmSpecs(name: string, alarms: readonly AlarmSpec[]): void {
  const problems = alarmSpecProblems(alarms);
  if (problems.length > 0) throw new Error(`CloudWatchAlarms ${name}:\n  ${problems.join("\n  ")}`);
}

/** One MetricAlarm per spec, named `<component>-<id>`, each notifying the topic. */
export class CloudWatchAlarms extends pulumi.ComponentResource {
  public readonly alarms: aws.cloudwatch.MetricAlarm[];
  public readonly alarmArns: pulumi.Output<string[]>;

  constructor(name: string, args: CloudWatchAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateAlarmSpecs(name, args.alarms);
    super("vega:observability:CloudWatchAlarms", name, {}, opts);
    this.alarms = args.alarms.map((spec) => {
      const alarmName = childName(name, spec.id);
      return new aws.cloudwatch.MetricAlarm(
        alarmName,
        metricAlarmArgs(spec, {
          name: fitName(alarmName, 255),
          region: args.region,
          topicArn: args.topicArn,
        }),
        { parent: this, retainOnDelete: args.retainOnDelete ?? false },
      );
    });
    this.alarmArns = pulumi.all(this.alarms.map((a) => a.arn));
    this.registerOutputs({ alarmArns: this.alarmArns });
  }
}
