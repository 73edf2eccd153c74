/**
 * How long a terminating gateway keeps serving. The AWS Load Balancer Controller deregisters a
 * terminating pod from the target group, whose in-flight requests then drain for the
 * deregistration delay. The pod must outlive both, or the ALB cuts requests mid-flight.
 */
export interface DrainTimings {
  /** preStop sleep: the controller's reaction margin plus the deregistration delay. */
  preStopSeconds: number;
  /** preStop plus the time the gateway gets after SIGTERM. */
  terminationGracePeriodSeconds: number;
}

export function drainTimings(
  deregistrationDelaySeconds: number,
  drain: { marginSeconds: number; shutdownSeconds: number },
): DrainTimings {
  const preStopSeconds = deregistrationDelaySeconds + drain.marginSeconds;
  return { preStopSeconds, terminationGracePeriodSeconds: preStopSeconds + drain.shutdownSeconds };
}
