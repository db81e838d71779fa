import type {
  KvKey,
  KvStore,
  KvStoreListEntry,
  KvStoreSetOptions,
  MessageQueue,
  MessageQueueEnqueueOptions,
} from '@fedify/fedify';

/** Workers KV keeps a value at least this long (its smallest `expirationTtl`). */
const KV_MIN_TTL_SECONDS = 60;

/**
 * Fedify's cache (remote documents and keys, inbox idempotence) over a Workers KV namespace. KV has
 * no compare-and-swap, so `cas` is left out: Fedify uses nothing here that needs one.
 */
export class WorkersKv implements KvStore {
  constructor(private readonly namespace: KVNamespace) {}

  get<T = unknown>(key: KvKey): Promise<T | undefined> {
    return this.namespace.get<T>(JSON.stringify(key), 'json').then((value) => value ?? undefined);
  }

  set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const ttl = options?.ttl?.total('seconds');
    return this.namespace.put(
      JSON.stringify(key),
      JSON.stringify(value),
      ttl === undefined ? {} : { expirationTtl: Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttl)) },
    );
  }

  delete(key: KvKey): Promise<void> {
    return this.namespace.delete(JSON.stringify(key));
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    // Keys are JSON arrays: `["a","b"]` has the children `["a","b",…`.
    const start = prefix?.length ? JSON.stringify(prefix).slice(0, -1) : '[';
    let cursor: string | undefined;
    do {
      const page = await this.namespace.list({ prefix: start, cursor });
      for (const { name } of page.keys) {
        const value = await this.namespace.get(name, 'json');
        if (value !== null) yield { key: JSON.parse(name) as KvKey, value };
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
  }
}

/**
 * Fedify's task queue over a Cloudflare Queue: its deliveries and received activities are messages the
 * Worker's queue handler gives back to `processQueuedTask` (src/fediverse/queue.ts). The Queue retries
 * a failed message itself (`nativeRetrial`), with the backoff the consumer sets.
 */
export class WorkersQueue implements MessageQueue {
  readonly nativeRetrial = true;

  constructor(private readonly queue: Queue) {}

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.queue.send(message, { contentType: 'json', delaySeconds: delaySeconds(options) });
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    // sendBatch takes at most 100 messages.
    for (let start = 0; start < messages.length; start += 100) {
      await this.queue.sendBatch(
        messages.slice(start, start + 100).map((body) => ({ body, contentType: 'json' as const })),
        { delaySeconds: delaySeconds(options) },
      );
    }
  }

  listen(): Promise<void> {
    throw new TypeError('A Cloudflare Queue is consumed by the Worker’s queue handler, not listened to.');
  }
}

const delaySeconds = (options?: MessageQueueEnqueueOptions) =>
  Math.max(0, Math.ceil(options?.delay?.total('seconds') ?? 0));
