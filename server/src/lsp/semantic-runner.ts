// Hands semantic analyses to the worker thread, one document at a time, newest text only.
// A new version of the document being analysed terminates the worker (the old result would
// be thrown away anyway) and starts a fresh one.

import * as path from 'path';
import { Worker } from 'worker_threads';
import { FileKind, Finding } from '../analysis';
import { Family } from '../catalogue/types';
import { LintConfig } from '../config/config';
import type { FixOptions } from '../fixes/apply';
import type { FixAllSummary, SemanticRequest, SemanticResponse } from './semantic-worker';

interface Job {
  readonly uri: string;
  readonly version: number;
  readonly request: Omit<SemanticRequest, 'id'>;
  /** With the worker's answer; undefined when superseded, cancelled or failed. */
  readonly resolve: (response: SemanticResponse | undefined) => void;
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
  analyse(uri: string, version: number, text: string, family: Family | undefined, config: LintConfig, kind?: FileKind): Promise<Finding[] | undefined> {
    return this.submit(uri, version, { text, family, config, kind }).then((r) => (r && 'findings' in r ? r.findings : undefined));
  }

  /**
   * The text after fix-all (fixes/apply.ts); undefined when superseded. `findings`: the
   * findings of this text with their fixes, when already known.
   */
  fixAll(uri: string, version: number, text: string, family: Family | undefined, config: LintConfig, options: FixOptions, findings?: readonly Finding[], kind?: FileKind): Promise<FixAllSummary | undefined> {
    return this.submit(uri, version, { text, family, config, kind, fixAll: { ...options, findings } }).then((r) => (r && 'fixed' in r ? r.fixed : undefined));
  }

  /** Queues a job; an older job for the same document is dropped, or stopped if it is running. */
  private submit(uri: string, version: number, request: Omit<SemanticRequest, 'id'>): Promise<SemanticResponse | undefined> {
    return new Promise((resolve) => {
      for (const old of this.queue.filter((j) => j.uri === uri)) {
        this.queue.splice(this.queue.indexOf(old), 1);
        old.resolve(undefined);
      }
      if (this.running?.uri === uri) this.cancelRunning();
      this.queue.push({ uri, version, request, resolve });
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
    this.ensureWorker().postMessage({ ...job.request, id: this.running.id } satisfies SemanticRequest);
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
      } else job.resolve(msg);
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
