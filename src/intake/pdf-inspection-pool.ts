import { channel } from 'node:diagnostics_channel';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { InputRejectedError } from '../errors/input-rejected-error.js';
import type { PdfInspector } from './pdf-inspection.js';
import type { InspectionOutcome } from './pdf-inspection-thread.js';

/** Published when a PDF check starts (`{ phase: 'start' }`) and ends (`{ phase: 'end', accepted }`). */
export const PDF_CHECK_CHANNEL = 'warranty:pdf-check';

export interface PdfInspectionPoolOptions {
  /** Checks that run at once; more wait their turn. */
  threads: number;
  /** A check still running after this is stopped (its thread ended) and the PDF refused. */
  timeoutMs: number;
  /** A thread's JavaScript heap; one that needs more is ended and the PDF refused. */
  maxHeapMb: number;
}

/**
 * The API's checks: two at once (a hostile PDF holds a thread until its time is up, and the rest of
 * the API keeps its cores), 15 s each where a real receipt takes milliseconds, 256 MB of heap.
 */
export const API_PDF_CHECKS: PdfInspectionPoolOptions = { threads: 2, timeoutMs: 15_000, maxHeapMb: 256 };

const here = fileURLToPath(import.meta.url);
// Built, the thread is a .js file beside this one; run from source (tests), a .ts file that tsx loads.
const THREAD_FILE = path.join(path.dirname(here), `pdf-inspection-thread${path.extname(here)}`);

/**
 * The API's door for PDFs, off its event loop: parsing a hostile PDF takes seconds of synchronous
 * work (rebuilding the object table of a file without one, inflating streams), during which the
 * API would answer nothing, /health included. Each check runs in a worker thread with a heap limit
 * and a time limit; a thread that exceeds either is ended and the PDF refused.
 */
export class PdfInspectionPool {
  private readonly pool: Piscina;
  private readonly checks = channel(PDF_CHECK_CHANNEL);

  constructor(private readonly options: PdfInspectionPoolOptions) {
    this.pool = new Piscina({
      filename: THREAD_FILE,
      minThreads: 1,
      maxThreads: options.threads,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      execArgv: THREAD_FILE.endsWith('.ts') ? ['--import', 'tsx'] : [],
    });
  }

  readonly inspect: PdfInspector = async (bytes, limits) => {
    this.checks.publish({ phase: 'start' });
    let accepted = false;
    try {
      const outcome = await this.run(bytes, limits);
      if (!outcome.accepted) throw new InputRejectedError(outcome.refusal.code, outcome.refusal.message, outcome.refusal.evidence);
      accepted = true;
      return outcome.info;
    } finally {
      this.checks.publish({ phase: 'end', accepted });
    }
  };

  private async run(bytes: Uint8Array, limits: Parameters<PdfInspector>[1]): Promise<InspectionOutcome> {
    try {
      return (await this.pool.run({ bytes, limits }, { signal: AbortSignal.timeout(this.options.timeoutMs) })) as InspectionOutcome;
    } catch (error) {
      if ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError') {
        throw new InputRejectedError(
          'UNREADABLE_DOCUMENT',
          `The PDF could not be checked within ${this.options.timeoutMs / 1000} s; a receipt takes milliseconds.`,
          { limit: 'check_time', timeoutMs: this.options.timeoutMs },
        );
      }
      if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new InputRejectedError('UNREADABLE_DOCUMENT', 'The PDF needs more memory to check than a receipt may.', {
          limit: 'check_memory',
          maxHeapMb: this.options.maxHeapMb,
        });
      }
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
