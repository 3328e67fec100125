import { waitForHealth } from './health.js';

// Keeps the bundled service alive: starts it, says when it answers, and
// starts it again after a crash, with a growing pause, unless it keeps dying
// (a corrupt database, a port taken by another program): then it stays down
// and says so, rather than burning the desk's CPU.

/** What the supervisor needs of a process: Electron's UtilityProcess and Node's ChildProcess both fit. */
export interface ServiceProcess {
  readonly pid?: number | undefined;
  kill(): boolean;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}

export type SupervisorState = 'stopped' | 'starting' | 'running' | 'restarting' | 'failed';

export interface SupervisorOptions {
  /** Starts one service process, listening on `serviceUrl`. */
  launch: () => ServiceProcess;
  serviceUrl: string;
  /** How long a start may take to answer /api/health (migrations included). */
  startTimeoutMs: number;
  /** Pause before each restart in a row; the last one repeats. */
  restartDelaysMs: readonly number[];
  /** More crashes than this within `crashWindowMs`, and the supervisor gives up. */
  maxCrashes: number;
  crashWindowMs: number;
  onStateChange?: (state: SupervisorState, detail: string) => void;
  healthIntervalMs?: number;
}

export class ServiceSupervisor {
  private process: ServiceProcess | null = null;
  private current: SupervisorState = 'stopped';
  private crashes: number[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly options: SupervisorOptions) {}

  get state(): SupervisorState {
    return this.current;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  private setState(state: SupervisorState, detail: string): void {
    this.current = state;
    this.options.onStateChange?.(state, detail);
  }

  /** Starts the service and resolves once it answers; rejects (and leaves it stopped) when it does not. */
  async start(): Promise<void> {
    if (this.current !== 'stopped' && this.current !== 'failed') return;
    this.crashes = [];
    await this.launch('starting');
  }

  private async launch(state: 'starting' | 'restarting'): Promise<void> {
    this.setState(state, state === 'starting' ? 'démarrage du service local' : 'redémarrage du service local');
    const child = this.options.launch();
    this.process = child;
    const died = new AbortController();
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code) => {
        died.abort(`Le service local s'est arrêté (code ${code ?? 'inconnu'}).`);
        resolve();
        this.onExit(child, code);
      });
    });
    try {
      await waitForHealth(this.options.serviceUrl, this.options.startTimeoutMs, this.options.healthIntervalMs, died.signal);
    } catch (error) {
      if (this.process === child) {
        this.process = null;
        child.kill();
        if (state === 'starting') this.setState('failed', error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
    if (this.process === child) this.setState('running', `service local prêt sur ${this.options.serviceUrl}`);
  }

  private onExit(child: ServiceProcess, code: number | null): void {
    // Only a running service's death is a crash here: a stop, or a start that failed, is handled where it happens.
    if (this.process !== child || this.current !== 'running') return;
    this.process = null;
    this.crashed(`Le service local s'est arrêté (code ${code ?? 'inconnu'})`);
  }

  private crashed(reason: string): void {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < this.options.crashWindowMs), now];
    if (this.crashes.length > this.options.maxCrashes) {
      this.setState('failed', `${reason} ; il s'est arrêté ${this.crashes.length} fois en peu de temps : il n'est plus relancé.`);
      return;
    }
    const delays = this.options.restartDelaysMs;
    const delay = delays[Math.min(this.crashes.length - 1, delays.length - 1)] ?? 0;
    this.setState('restarting', `${reason} : relance dans ${delay} ms.`);
    this.restartTimer = setTimeout(() => {
      this.launch('restarting').catch((error: unknown) => {
        if (this.current === 'stopped') return;
        this.crashed(error instanceof Error ? error.message : String(error));
      });
    }, delay);
  }

  /** Stops the service and resolves once its process has exited. */
  async stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    const child = this.process;
    this.process = null;
    this.setState('stopped', 'service local arrêté');
    if (!child) return;
    child.kill();
    await this.exited;
  }
}
