/**
 * The failover journal: one JSON object in the DR vault (the DR region's bucket), so another
 * operator on another machine resumes where a failover stopped, with the primary region down.
 * Writes are conditional on the version read (S3 conditional writes, If-Match / If-None-Match):
 * two operators running at once cannot overwrite each other's progress.
 */
import type { ObjectStorePort, Versioned } from "./ports";
import type { Topology } from "./stacks";

/** The last replicated point of one store: what the DR region has, the data cut-off. */
export interface CutOffPoint {
  store: string;
  /** ISO time of the newest data the DR region holds, or undefined when it holds none. */
  lastReplicatedAt?: string;
  /** How it was read, in words. */
  how: string;
}

export interface StepRecord {
  doneAt: string;
  detail: string;
}

export interface FailoverJournal {
  journalVersion: 1;
  primaryStack: string;
  drStack: string;
  startedAt: string;
  /** `--force` was given: the primary's health checks were healthy or unreadable at the start. */
  forced: boolean;
  cutOff?: CutOffPoint[];
  steps: Record<string, StepRecord>;
  lastError?: { step: string; at: string; message: string };
  completedAt?: string;
  /** Re-protection after the old primary region came back (failback). */
  failback?: { steps: Record<string, StepRecord>; completedAt?: string };
}

/** Where a DR stack's failover journal lives: its vault, in its region. */
export function journalLocation(topology: Topology) {
  return {
    region: topology.dr.backup.region,
    bucket: topology.dr.backup.bucketName,
    key: `operations/failover/${topology.drStack.replace(/[^A-Za-z0-9._-]/g, "_")}.json`,
  };
}

/** The journal with its version, written back after every change. */
export class Journal {
  private constructor(
    private readonly store: ObjectStorePort,
    private readonly where: ReturnType<typeof journalLocation>,
    private current: Versioned<FailoverJournal> | undefined,
  ) {}

  static async open(store: ObjectStorePort, topology: Topology): Promise<Journal> {
    const where = journalLocation(topology);
    return new Journal(
      store,
      where,
      await store.getJson<FailoverJournal>(where.region, where.bucket, where.key),
    );
  }

  get value(): FailoverJournal | undefined {
    return this.current?.value;
  }

  get location(): string {
    return `s3://${this.where.bucket}/${this.where.key} (${this.where.region})`;
  }

  /** Writes `value`, conditional on the version read; throws ConcurrentWriteError otherwise. */
  async write(value: FailoverJournal): Promise<void> {
    const version = await this.store.putJson(
      this.where.region,
      this.where.bucket,
      this.where.key,
      value,
      this.current?.version,
    );
    this.current = { value, version };
  }
}
