/** What src/ops/metering.ts counts, in a module of its own so that `npm run bench` (in Node) reads it too. */

export const METER_PATH = '/__meter';

export interface MeterCounts {
  requests: number;
  kvReads: number;
  kvWrites: number;
  kvDeletes: number;
  kvLists: number;
  d1Queries: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  durableObjectRequests: number;
  queueMessages: number;
}

export const zeroCounts = (): MeterCounts => ({
  requests: 0,
  kvReads: 0,
  kvWrites: 0,
  kvDeletes: 0,
  kvLists: 0,
  d1Queries: 0,
  d1RowsRead: 0,
  d1RowsWritten: 0,
  durableObjectRequests: 0,
  queueMessages: 0,
});
