import { Worker } from 'node:worker_threads';
import type { ParsedBatch, ParseRequest, ToParser } from './parse-worker.js';

// The importing thread's side of parse-worker.ts. The worker is TypeScript
// like the rest: it registers tsx's loader before importing it, since on
// Node 20 a worker started with `--import tsx` loads its entry before the
// loader's hooks are in place. Works under the CLI and under vitest alike.
const WORKER_SOURCE = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => {
  register();
  return import(${JSON.stringify(new URL('./parse-worker.ts', import.meta.url).href)});
});`;

/** Parses the files of one import in a worker, started with the first file to parse. */
export class SireneParser {
  private worker: Worker | null = null;
  private readonly received: ParsedBatch[] = [];
  private waiting: { resolve: (batch: ParsedBatch) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;
  private closing = false;

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (batch: ParsedBatch) => {
      if (this.waiting) this.waiting.resolve(batch);
      else this.received.push(batch);
      this.waiting = null;
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`La lecture des fichiers Sirene s'est arrêtée (code ${code}).`));
    });
    this.worker = worker;
    return worker;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiting?.reject(this.failure);
    this.waiting = null;
  }

  private next(): Promise<ParsedBatch> {
    const batch = this.received.shift();
    if (batch) return Promise.resolve(batch);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private send(message: ToParser): void {
    this.started().postMessage(message);
  }

  /**
   * A file's rows, a batch at a time. The worker reads ahead while a batch is
   * being written, a bounded number of batches: asking for the next batch
   * tells it the previous one is written.
   */
  async *parse(request: ParseRequest): AsyncGenerator<ParsedBatch> {
    this.send(request);
    for (;;) {
      const batch = await this.next();
      yield batch;
      this.send('written');
      if (batch.done) return;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker?.terminate();
  }
}
