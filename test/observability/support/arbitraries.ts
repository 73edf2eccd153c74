/** Generated alert thresholds, every one inside what the config schema accepts. */
import fc from "fast-check";
import type { AlertThresholds } from "../../../config";

const seconds = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const percent = fc.integer({ min: 1, max: 100 });

export const arbitraryThresholds: fc.Arbitrary<AlertThresholds> = fc.record({
  queryLatencyP99Seconds: seconds(0.05, 60),
  queryErrorRatePercent: seconds(0.1, 50),
  syncLagSeconds: fc.integer({ min: 1, max: 86_400 }),
  syncFailures: fc.integer({ min: 0, max: 1000 }),
  syncFailuresWindowMinutes: fc.integer({ min: 5, max: 1440 }),
  cpuPercent: percent,
  memoryPercent: percent,
  diskPercent: percent,
  connectionWaitSeconds: seconds(0.01, 60),
  cacheHitRatePercent: percent,
  lowTrafficMinEvents: fc.integer({ min: 1, max: 1_000_000 }),
  logicalBackupMaxAgeHours: fc.integer({ min: 1, max: 744 }),
  minReadyGateways: fc.integer({ min: 2, max: 20 }),
  dbReplicaLagSeconds: fc.integer({ min: 1, max: 86_400 }),
  dbConnectionsPercent: fc.integer({ min: 1, max: 100 }),
});
