import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const STAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32];

/**
 * The Prometheus metrics of one process (API or worker); each process is scraped on its own, as
 * prom-client keeps metrics in memory. The only module that touches prom-client.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly stageSeconds: Histogram<'stage'>;
  readonly ocrSeconds: Histogram;
  readonly decisions: Counter<'status'>;
  readonly failures: Counter<'stage' | 'kind'>;
  readonly jobsRevived: Counter<'stage' | 'cause'>;
  readonly claimsFailed: Counter<'stage' | 'cause'>;
  readonly webhookAttempts: Counter<'outcome'>;
  readonly httpSeconds: Histogram<'route' | 'method' | 'code'>;

  constructor(processRole: 'api' | 'worker') {
    this.registry.setDefaultLabels({ process: processRole });
    collectDefaultMetrics({ register: this.registry, prefix: 'warranty_' });
    const registers = [this.registry];
    this.stageSeconds = new Histogram({
      name: 'warranty_stage_seconds',
      help: 'Time spent in each pipeline stage',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.ocrSeconds = new Histogram({
      name: 'warranty_ocr_seconds',
      help: 'Time spent reading text (OCR or PDF text layer) per document',
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.decisions = new Counter({
      name: 'warranty_decisions_total',
      help: 'Claims decided, by status',
      labelNames: ['status'],
      registers,
    });
    this.failures = new Counter({
      name: 'warranty_stage_failures_total',
      help: 'Stage jobs that failed, by stage and kind (transient is retried, permanent is not)',
      labelNames: ['stage', 'kind'],
      registers,
    });
    this.jobsRevived = new Counter({
      name: 'warranty_stage_jobs_revived_total',
      help: 'Jobs the recovery sweep scheduled again, by stage (or recheck) and cause (missing: lost or never queued; retries_exhausted: an outage outlasted its retries)',
      labelNames: ['stage', 'cause'],
      registers,
    });
    this.claimsFailed = new Counter({
      name: 'warranty_claims_failed_total',
      help: 'Work the recovery sweep gave up on, by stage (or recheck) and cause (worker_crashes, permanent): a claim is referred to a person with the reason',
      labelNames: ['stage', 'cause'],
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'warranty_webhook_attempts_total',
      help: 'Webhook delivery attempts, by outcome (delivered: a 2xx; refused: another answer or none, retried; failed: the last attempt of a round refused)',
      labelNames: ['outcome'],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'warranty_http_request_seconds',
      help: 'HTTP request duration',
      labelNames: ['route', 'method', 'code'],
      buckets: STAGE_BUCKETS,
      registers,
    });
  }

  /** A gauge whose value is read when scraped (e.g. queue depths from Redis). */
  gauge<Label extends string>(name: string, help: string, labelNames: Label[], collect: (gauge: Gauge<Label>) => Promise<void>): void {
    new Gauge<Label>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
