/**
 * What each request asks of the bindings, for `npm run bench`'s cost columns. Off unless the Worker
 * has a METER_TOKEN (the bench sets one; wrangler.toml and `npm run setup` never do): then a request
 * carrying `X-Meter: <token>`, and every queue and cron invocation, run with counting bindings, and
 * `GET /__meter` with the same header answers the counts so far and starts again from zero.
 */

import { METER_PATH, zeroCounts as zero } from './meter-counts';

/** One isolate's counts: the bench serves the Worker from one workerd process, so this is all of them. */
let counts = zero();

type Method = (...args: unknown[]) => unknown;

/** `target` with some methods replaced; every other member of a native binding still called on the binding itself. */
function overriding<T extends object>(target: T, overrides: Record<string, Method>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && property in overrides) return overrides[property];
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

const countD1 = (meta: D1Meta | undefined) => {
  counts.d1Queries += 1;
  counts.d1RowsRead += meta?.rows_read ?? 0;
  counts.d1RowsWritten += meta?.rows_written ?? 0;
};

const READ_ONLY = /^\s*(select|with)\b/i;

/** A prepared statement whose every execution is counted, with D1's own `meta` (rows read and written). */
class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly sql: string,
  ) {}

  bind(...values: unknown[]) {
    return new MeteredStatement(this.inner.bind(...values), this.sql);
  }

  async all<T>() {
    const result = await this.inner.all<T>();
    countD1(result.meta);
    return result;
  }

  async run<T>() {
    const result = await this.inner.run<T>();
    countD1(result.meta);
    return result;
  }

  async first<T>(column?: string) {
    const { results } = await this.all<Record<string, unknown>>();
    const row = results[0];
    if (row === undefined) return null;
    return (column === undefined ? row : (row[column] ?? null)) as T;
  }

  /**
   * `raw()` reports no `meta`: a read runs once more through `all()` for its counts (the same rows,
   * so the same rows read); a write runs once, through `run()`, mapped to arrays as drizzle maps a batch.
   */
  async raw<T>(options?: { columnNames?: boolean }) {
    if (READ_ONLY.test(this.sql)) {
      const rows = await this.inner.raw<T>(options as { columnNames: false });
      countD1((await this.inner.all()).meta);
      return rows;
    }
    const { results } = await this.run<Record<string, unknown>>();
    return results.map((row) => Object.values(row)) as T[];
  }
}

function meterD1<T extends D1Database | D1DatabaseSession>(db: T): T {
  const overrides: Record<string, Method> = {
    prepare: (sql) => new MeteredStatement(db.prepare(sql as string), sql as string),
    batch: async (statements) => {
      const results = await db.batch((statements as MeteredStatement[]).map((statement) => statement.inner));
      for (const result of results) countD1(result.meta);
      return results;
    },
  };
  if ('withSession' in db) overrides.withSession = (bookmark) => meterD1(db.withSession(bookmark as string));
  return overriding(db, overrides);
}

function meterKv(kv: KVNamespace): KVNamespace {
  const counted =
    (kind: 'kvReads' | 'kvWrites' | 'kvDeletes' | 'kvLists', method: Method): Method =>
    (...args) => {
      counts[kind] += 1;
      return method(...args);
    };
  return overriding(kv, {
    get: counted('kvReads', kv.get.bind(kv) as Method),
    getWithMetadata: counted('kvReads', kv.getWithMetadata.bind(kv) as Method),
    put: counted('kvWrites', kv.put.bind(kv) as Method),
    delete: counted('kvDeletes', kv.delete.bind(kv) as Method),
    list: counted('kvLists', kv.list.bind(kv) as Method),
  });
}

/** Every call on a stub (a fetch or an RPC method) is one Durable Object request. */
function meterStub(stub: DurableObjectStub): DurableObjectStub {
  return new Proxy(stub, {
    get(object, property) {
      const value = Reflect.get(object, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts.durableObjectRequests += 1;
        // Reflect.apply, not value.apply: on an RPC stub, `apply` would be taken for a remote method.
        return Reflect.apply(value as Method, object, args);
      };
    },
  });
}

function meterNamespace(namespace: DurableObjectNamespace): DurableObjectNamespace {
  return overriding(namespace, {
    get: (id, options) =>
      meterStub(namespace.get(id as DurableObjectId, options as DurableObjectNamespaceGetDurableObjectOptions)),
    getByName: (name, options) =>
      meterStub(namespace.getByName(name as string, options as DurableObjectNamespaceGetDurableObjectOptions)),
  });
}

function meterQueue(queue: Queue): Queue {
  return overriding(queue, {
    send: (body, options) => {
      counts.queueMessages += 1;
      return queue.send(body, options as QueueSendOptions);
    },
    sendBatch: (messages, options) => {
      const list = [...(messages as Iterable<MessageSendRequest>)];
      counts.queueMessages += list.length;
      return queue.sendBatch(list, options as QueueSendBatchOptions);
    },
  });
}

const has = (value: unknown, ...members: string[]) =>
  typeof value === 'object' && value !== null && members.every((member) => member in value);

/** The same bindings, each D1 database, KV namespace, Durable Object namespace and queue counting what it is asked. */
export function meteredEnv(env: Env): Env {
  const wrapped: Record<string, unknown> = {};
  for (const [name, binding] of Object.entries(env)) {
    if (has(binding, 'prepare', 'batch', 'exec')) wrapped[name] = meterD1(binding as D1Database);
    else if (has(binding, 'getWithMetadata', 'list', 'put')) wrapped[name] = meterKv(binding as KVNamespace);
    else if (has(binding, 'idFromName', 'get')) wrapped[name] = meterNamespace(binding as DurableObjectNamespace);
    else if (has(binding, 'send', 'sendBatch')) wrapped[name] = meterQueue(binding as Queue);
    else wrapped[name] = binding;
  }
  return wrapped as unknown as Env;
}

/** The Worker's handlers, counting as described above when METER_TOKEN is set; unchanged otherwise. */
export function withMetering(handler: Required<Pick<ExportedHandler<Env>, 'fetch' | 'scheduled' | 'queue'>>) {
  return {
    fetch: (request, env, ctx) => {
      const token = env.METER_TOKEN;
      if (!token || request.headers.get('X-Meter') !== token) return handler.fetch(request, env, ctx);
      if (new URL(request.url).pathname === METER_PATH) {
        const snapshot = counts;
        counts = zero();
        return Response.json(snapshot, { headers: { 'Cache-Control': 'no-store' } });
      }
      counts.requests += 1;
      return handler.fetch(request, meteredEnv(env), ctx);
    },
    scheduled: (controller, env, ctx) => handler.scheduled(controller, env.METER_TOKEN ? meteredEnv(env) : env, ctx),
    // The context is optional, as the handler's own signature has it: tests hand a batch over directly.
    queue: (batch: MessageBatch, env: Env, ctx?: ExecutionContext) =>
      handler.queue(batch, env.METER_TOKEN ? meteredEnv(env) : env, ctx as ExecutionContext),
  } satisfies ExportedHandler<Env>;
}
