import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Figures kept elsewhere that /metrics reports. */
export interface MetricSources {
  /** Meter values conflated by the real-time flow control, since start. */
  conflatedMeterValues?: () => number;
}

/**
 * Prometheus metrics: the process defaults plus HTTP requests by method, route and status.
 * One registry per app, so that several apps in one test process do not collide.
 */
export function registerMetrics(app: FastifyInstance, sources: MetricSources = {}): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { conflatedMeterValues } = sources;
  if (conflatedMeterValues) {
    new Counter({
      name: 'realtime_meter_values_conflated_total',
      help: 'meter_values_updated events a slow real-time client skipped for a newer one of the same transaction',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(conflatedMeterValues());
      },
    });
  }
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, keeps the label set bounded.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  return registry;
}
