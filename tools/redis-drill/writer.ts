/**
 * Writes continuously through a Sentinel-aware client, each write acknowledged with `WAIT 1`
 * (at least one replica has it). A write counts as acknowledged only when its SET and WAIT were
 * answered on one and the same connection: a WAIT resent after a reconnect would count the new
 * master's replicas, not the write's.
 */
import type Redis from "ioredis";

export interface AckedWrite {
  key: string;
  value: string;
  /** performance.now() when the write was sent, and when its acknowledgement came back. */
  sentAt: number;
  ackedAt: number;
}

export interface WriterStats {
  acked: AckedWrite[];
  /** Writes answered but not acknowledged by a replica, or cut off by a reconnect. */
  unconfirmed: number;
  /** Error replies by their first word (e.g. NOREPLICAS), counted. */
  errors: Record<string, number>;
}

export class AckedWriter {
  readonly stats: WriterStats = { acked: [], unconfirmed: 0, errors: {} };
  private connection = 0;
  private running = false;
  private loop?: Promise<void>;
  private seq = 0;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly waitTimeoutMs = 1000,
  ) {
    client.on("close", () => this.connection++);
  }

  /** One write; resolves to whether it was acknowledged. */
  async writeOnce(): Promise<boolean> {
    const n = this.seq++;
    const key = `${this.prefix}:${n}`;
    const value = `${n}`;
    const connection = this.connection;
    const sentAt = performance.now();
    const results = await this.client.pipeline().set(key, value).wait(1, this.waitTimeoutMs).exec();
    const [setResult, waitResult] = results ?? [];
    const error = setResult?.[0] ?? waitResult?.[0];
    if (error) {
      const kind = String((error as Error).message).split(" ")[0] ?? "ERR";
      this.stats.errors[kind] = (this.stats.errors[kind] ?? 0) + 1;
      return false;
    }
    if (connection !== this.connection || Number(waitResult?.[1]) < 1) {
      this.stats.unconfirmed++;
      return false;
    }
    this.stats.acked.push({ key, value, sentAt, ackedAt: performance.now() });
    return true;
  }

  /**
   * Writes back to back until stop(). After a write that was not acknowledged it pauses: a
   * client that rejects at once would otherwise spin on promises and starve every timer.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let acked = false;
        try {
          acked = await this.writeOnce();
        } catch (err) {
          const kind = String((err as Error).message).split(" ")[0] ?? "ERR";
          this.stats.errors[kind] = (this.stats.errors[kind] ?? 0) + 1;
        }
        await new Promise((r) => (acked ? setImmediate(r) : setTimeout(r, 20)));
      }
    })();
  }

  /** Stops writing; waits for the write in flight, at most `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    this.running = false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  /** The client's connection status (ioredis: ready, reconnecting, end...). */
  get status(): string {
    return this.client.status;
  }

  /** The first acknowledged write sent after `t` (performance.now()). */
  firstAckedAfter(t: number): AckedWrite | undefined {
    return this.stats.acked.find((w) => w.sentAt > t);
  }

  ackedSince(t: number): number {
    return this.stats.acked.filter((w) => w.sentAt > t).length;
  }
}
