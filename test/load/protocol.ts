// What the load generator (run.ts) and the service process (service.ts) tell each other.

/** The text every captcha of the service under load draws: a robot cannot read the image, and a load test is one. */
export const LOAD_CAPTCHA = 'Kx7PqR';

export interface ServiceReady {
  type: 'ready';
  url: string;
  bareUrl: string;
  databaseKind: string;
  /** Session tokens of the staff accounts made for the run. */
  staff: { agent: string[]; approver: string[] };
}

export interface CpuReport {
  type: 'cpu';
  /** Seconds of CPU used by the service process since the previous report (user + system). */
  cpuSeconds: number;
}
