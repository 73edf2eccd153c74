import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { OpenSearchConfig, StackOutputs } from "../../config";
import { childName } from "../core";
import { OpenSearchRest } from "./rest";
import { autoFollowRuleName, engineMajorProblem, parseDomainArn } from "./render";

/** The leader as the primary's contract describes it. */
export type LeaderDomain = NonNullable<StackOutputs["opensearch"]>;

export interface CrossClusterReplicationArgs {
  /** The DR (follower) domain, in this stack's region. Required. */
  follower: {
    region: string;
    domainName: string;
    domainArn: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
    engineVersion: string;
  };
  /** The primary's contract; its `opensearch` section names the leader. Required. */
  primary: pulumi.Input<StackOutputs>;
  /** The replication section of vega-ha:opensearch. Required. */
  settings: OpenSearchConfig["replication"];
  /**
   * DR has taken over (seed 16.3): replication is stopped (auto-follow rules deleted, follower
   * indices stopped, so they become writable) and nothing calls the primary region. Default false.
   */
  promoted?: boolean;
}

/** The leader from the contract; a primary without one has to be deployed first. */
export function leaderOf(primary: StackOutputs, followerEngine: string): LeaderDomain {
  const leader = primary.opensearch;
  if (!leader)
    throw new Error(
      "the primary stack exports no opensearch section (contract field opensearch): deploy (pulumi up) the primary stack first, with vega-ha:opensearch.enabled true there",
    );
  const problem = engineMajorProblem(leader.engineVersion, followerEngine);
  if (problem) throw new Error(problem);
  return leader;
}

/**
 * Cross-cluster replication into DR, owned by the DR stack: the outbound connection from the DR
 * domain (follower, local) to the primary's (leader, remote), its acceptance on the primary's side
 * (in the primary region), and an auto-follow rule per index pattern. Promoted, it stops
 * replication instead.
 */
export class CrossClusterReplication extends pulumi.ComponentResource {
  /** The connection's id (undefined once promoted). */
  public readonly connectionId?: pulumi.Output<string>;

  constructor(
    name: string,
    args: CrossClusterReplicationArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("vega:opensearch:CrossClusterReplication", name, {}, opts);
    const child = { parent: this };
    const f = args.follower;
    const s = args.settings;
    const leader = pulumi.output(args.primary).apply((p) => leaderOf(p, f.engineVersion));
    const ruleNames = s.indexPatterns.map((p) => autoFollowRuleName(s.ruleName, p));

    if (args.promoted) {
      // Local calls only (the DR domain): the primary region may be gone.
      new OpenSearchRest(
        childName(name, "stopped"),
        {
          kind: "replicationStopped",
          endpoint: f.endpoint,
          region: f.region,
          spec: { leaderAlias: s.connectionAlias, ruleNames },
        },
        child,
      );
      this.registerOutputs({});
      return;
    }

    const connection = new aws.opensearch.OutboundConnection(
      childName(name, "connection"),
      {
        region: f.region,
        connectionAlias: s.connectionAlias,
        // DIRECT is the mode for cross-cluster search and replication; VPC_ENDPOINT is for
        // remote reindex between VPC domains (API reference, ConnectionMode). CCR connections
        // start from the follower.
        connectionMode: "DIRECT",
        localDomainInfo: {
          ownerId: pulumi.output(f.domainArn).apply((arn) => parseDomainArn(arn).account),
          domainName: f.domainName,
          region: f.region,
        },
        remoteDomainInfo: {
          ownerId: leader.apply((l) => parseDomainArn(l.domainArn).account),
          domainName: leader.domainName,
          region: leader.region,
        },
      },
      // Promotion removes it from the program; its deletion must not wait on the leader's region.
      { ...child, retainOnDelete: true },
    );
    const accepted = new aws.opensearch.InboundConnectionAccepter(
      childName(name, "accepter"),
      { region: leader.region, connectionId: connection.id },
      // Lives in the primary region: promotion must never call it.
      { ...child, retainOnDelete: true },
    );

    s.indexPatterns.forEach((pattern, i) => {
      new OpenSearchRest(
        childName(name, `autofollow-${ruleNames[i]}`),
        {
          kind: "autoFollowRule",
          endpoint: f.endpoint,
          region: f.region,
          spec: {
            leaderAlias: s.connectionAlias,
            name: ruleNames[i]!,
            pattern,
            leaderRole: s.leaderRole,
            followerRole: s.followerRole,
          },
        },
        { ...child, dependsOn: [accepted] },
      );
    });

    this.connectionId = connection.id;
    this.registerOutputs({ connectionId: this.connectionId });
  }
}
