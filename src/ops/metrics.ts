import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus instruments of one process. Each process (api or worker) exposes its own; the
 * Prometheus server sums them. A registry per context, not prom-client's global one, so tests
 * that build many contexts in one process never collide.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'numberd_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'numberd_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly ordersCreated = new Counter({
    name: 'numberd_orders_created_total',
    help: 'Orders accepted (CreateNumberOrder committed) by this process',
    registers: [this.registry],
  });

  readonly ordersCompleted = new Counter({
    name: 'numberd_orders_completed_total',
    help: 'Orders ended by this process, by terminal status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'numberd_job_runs_total',
    help: 'Job runs by kind and outcome (completed; failed, to be retried; gave_up: removed after its last attempt failed)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobBatchesFailed = new Counter({
    name: 'numberd_job_batches_failed_total',
    help: 'Batches of jobs that failed as a whole, by kind; their jobs then ran one by one',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'numberd_job_duration_seconds',
    help: 'Time a job run took, by kind; the jobs of a batch each count the batch',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'numberd_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
