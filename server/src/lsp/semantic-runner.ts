// Hands semantic analyses to the worker thread, one document at a time, newest text only.
// A new version of the document being analysed terminates the worker (the old result would
// be thrown away anyway) and starts a fresh one.

import * as path from 'path';
import { Worker } from 'worker_threads';
import { Finding } from '../analysis';
import { Family } from '../catalogue/types';
import { LintConfig } from '../config/config';
import type { SemanticRequest, SemanticResponse } from './semantic-worker';

interface Job {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly family?: Family;
  readonly config: LintConfig;
  readonly resolve: (findings: Finding[] | undefined) => void;
}

export class SemanticRunner {
  private worker?: Worker;
  private running?: Job & { id: number };
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(
    private readonly log: (message: string) => void,
    private readonly script = path.join(__dirname, 'semantic-worker.js'),
  ) {}

  /** All findings for this version; undefined when a newer version superseded it. */
  analyse(uri: string, version: number, text: string, family: Family | undefined, config: LintConfig): Promise<Finding[] | undefined> {
    return new Promise((resolve) => {
      for (const old of this.queue.filter((j) => j.uri === uri)) {
        this.queue.splice(this.queue.indexOf(old), 1);
        old.resolve(undefined);
      }
      if (this.running?.uri === uri) this.cancelRunning();
      this.queue.push({ uri, version, text, family, config, resolve });
      this.pump();
    });
  }

  /** Forget a closed document. */
  drop(uri: string): void {
    for (const old of this.queue.filter((j) => j.uri === uri)) {
      this.queue.splice(this.queue.indexOf(old), 1);
      old.resolve(undefined);
    }
    if (this.running?.uri === uri) this.cancelRunning();
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private cancelRunning(): void {
    this.running?.resolve(undefined);
    this.running = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = { ...job, id: this.nextId++ };
    this.ensureWorker().postMessage({ id: this.running.id, text: job.text, family: job.family, config: job.config } satisfies SemanticRequest);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (msg: SemanticResponse) => {
      const job = this.running;
      if (!job || job.id !== msg.id) return;
      this.running = undefined;
      if ('error' in msg) {
        this.log(`iptables-lint: semantic analysis failed for ${job.uri} (version ${job.version}): ${msg.error}`);
        job.resolve(undefined);
      } else job.resolve(msg.findings);
      this.pump();
    });
    worker.on('error', (e) => {
      this.log(`iptables-lint: semantic worker crashed: ${e.stack ?? e.message}`);
      this.running?.resolve(undefined);
      this.running = undefined;
      this.worker = undefined;
      this.pump();
    });
    this.worker = worker;
    return worker;
  }
}
