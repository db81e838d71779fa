/**
 * Cloudflare's published prices on the Workers Paid plan ($5 a month), beyond each product's
 * included monthly usage, in US dollars per unit. Read on 2026-12-01 from
 * developers.cloudflare.com/{workers,kv,d1,durable-objects,queues,r2,images}/platform/pricing.
 * Every cost the README quotes (npm run bench, images, email) is computed from this one table.
 */
export const PRICES_READ_ON = '2026-12-01';

export const PRICES = {
  workers: { perMillionRequests: 0.3, perMillionCpuMs: 0.02 },
  kv: { perMillionReads: 0.5, perMillionWrites: 5, perMillionDeletes: 5, perMillionLists: 5 },
  d1: { perMillionRowsRead: 0.001, perMillionRowsWritten: 1 },
  /** SQLite storage rows are billed like D1's (developers.cloudflare.com/durable-objects/platform/pricing). */
  durableObjects: {
    perMillionRequests: 0.15,
    perMillionGbSeconds: 12.5,
    perMillionRowsWritten: 1,
    perMillionRowsRead: 0.001,
  },
  /** A message written, read and acknowledged is three operations (per 64 KB). */
  queues: { perMillionOperations: 0.4 },
  r2: { perMillionClassA: 4.5, perMillionClassB: 0.36, perGbMonth: 0.015 },
  /** Workers Logs: log events (each invocation and each console line) beyond the 20 million a month included (developers.cloudflare.com/workers/observability/logs/workers-logs/#pricing). */
  workersLogs: { perMillionEvents: 0.6 },
  /** Images binding: unique transformations a month (the first 5,000 are included). */
  images: { perThousandTransformations: 0.5 },
} as const;

/** Usage of one request (or one operation), as the bench and the README count it. */
export interface Usage {
  requests?: number;
  cpuMs?: number;
  kvReads?: number;
  kvWrites?: number;
  kvDeletes?: number;
  kvLists?: number;
  d1RowsRead?: number;
  d1RowsWritten?: number;
  durableObjectRequests?: number;
  durableObjectRowsWritten?: number;
  queueOperations?: number;
  r2ClassA?: number;
  r2ClassB?: number;
  imageTransformations?: number;
  logEvents?: number;
}

/** What a million of `usage` costs at PRICES, beyond the included amounts. */
export function costPerMillion(usage: Usage): number {
  const u = (value?: number) => value ?? 0;
  return (
    u(usage.requests) * PRICES.workers.perMillionRequests +
    u(usage.cpuMs) * PRICES.workers.perMillionCpuMs +
    u(usage.kvReads) * PRICES.kv.perMillionReads +
    u(usage.kvWrites) * PRICES.kv.perMillionWrites +
    u(usage.kvDeletes) * PRICES.kv.perMillionDeletes +
    u(usage.kvLists) * PRICES.kv.perMillionLists +
    u(usage.d1RowsRead) * PRICES.d1.perMillionRowsRead +
    u(usage.d1RowsWritten) * PRICES.d1.perMillionRowsWritten +
    u(usage.durableObjectRequests) * PRICES.durableObjects.perMillionRequests +
    u(usage.durableObjectRowsWritten) * PRICES.durableObjects.perMillionRowsWritten +
    u(usage.queueOperations) * PRICES.queues.perMillionOperations +
    u(usage.r2ClassA) * PRICES.r2.perMillionClassA +
    u(usage.r2ClassB) * PRICES.r2.perMillionClassB +
    u(usage.imageTransformations) * PRICES.images.perThousandTransformations * 1000 +
    u(usage.logEvents) * PRICES.workersLogs.perMillionEvents
  );
}
