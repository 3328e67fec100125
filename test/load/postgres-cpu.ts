import fs from 'node:fs';
import pg from 'pg';

// Linux gives process times in /proc/<pid>/stat in ticks of 1/100 s (USER_HZ), whatever the kernel's own tick.
const TICKS_PER_SECOND = 100;
const SAMPLE_EVERY_MS = 500;

/** User + system CPU seconds of a process, or null when it is gone or not on this machine. */
function cpuSecondsOf(pid: number): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name, in parentheses, may hold spaces: fields are counted from
  // the state (field 3) after it, so utime and stime (14 and 15) are at 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * The CPU time the PostgreSQL server spends for one database: the backends
 * serving its connections, read from /proc, so only when the server runs on
 * this machine. The pools open and close connections as the load changes:
 * the backends are listed again every half second, and one that appears
 * during a measure counts from zero.
 */
export class PostgresBackendCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> = Promise.resolve();

  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresBackendCpu> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new PostgresBackendCpu(client);
  }

  private async sample(): Promise<void> {
    const { rows } = await this.client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    for (const { pid } of rows) {
      const seconds = cpuSecondsOf(pid);
      if (seconds === null) continue;
      if (!this.first.has(pid)) this.first.set(pid, this.timer ? 0 : seconds);
      this.last.set(pid, seconds);
    }
  }

  async start(): Promise<void> {
    this.first.clear();
    this.last.clear();
    await this.sample();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample());
    }, SAMPLE_EVERY_MS);
  }

  /** Seconds of backend CPU since start(), or null when no backend could be read. */
  async stop(): Promise<number | null> {
    clearInterval(this.timer!);
    await this.sampling;
    await this.sample();
    this.timer = null;
    if (this.last.size === 0) return null;
    let seconds = 0;
    for (const [pid, last] of this.last) seconds += last - this.first.get(pid)!;
    return seconds;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
