import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import worker from '../../src';
import { createApp } from '../../src/app';
import { formToken, freshAddress, ORIGIN, SAMPLE_ARTICLE_PATH } from './helpers';
import { nextNumber, uniqueEmail } from './unique';

/**
 * Production's KV rules, which the local runtime does not enforce (developers.cloudflare.com/kv/platform/limits):
 * one write (put or delete) a second to the same key, refused with a 429 as production refuses it;
 * 1,000 operations per Worker invocation; keys of at most 512 bytes. One `ProductionKv` is the
 * namespace (it remembers when each key was written); `invocation()` is one Worker invocation's view of it.
 */
export class ProductionKv {
  private readonly lastWrite = new Map<string, number>();
  /** Refusals so far, by rule. */
  readonly refused = { rate: 0, operations: 0, keyLength: 0 };
  /** Operations made so far, by kind (refused ones not counted). */
  readonly operations = { reads: 0, writes: 0, deletes: 0, lists: 0 };

  constructor(
    private readonly kv: KVNamespace = env.PAGE_CACHE,
    private readonly now: () => number = Date.now,
  ) {}

  invocation(): KVNamespace {
    let operations = 0;
    const count = () => {
      operations += 1;
      if (operations > 1000) {
        this.refused.operations += 1;
        throw new Error('Too many API requests by single worker invocation.');
      }
    };
    const checkKey = (key: string) => {
      const bytes = new TextEncoder().encode(key).byteLength;
      if (bytes > 512) {
        this.refused.keyLength += 1;
        throw new Error(`KV GET failed: 414 UTF-8 encoded length of ${bytes} exceeds key length limit of 512.`);
      }
    };
    const write = async <T>(key: string, kind: 'writes' | 'deletes', run: () => Promise<T>) => {
      count();
      checkKey(key);
      const at = this.now();
      const last = this.lastWrite.get(key);
      if (last !== undefined && at - last < 1000) {
        this.refused.rate += 1;
        throw new Error(`KV ${kind === 'writes' ? 'PUT' : 'DELETE'} failed: 429 Too Many Requests`);
      }
      this.lastWrite.set(key, at);
      this.operations[kind] += 1;
      return run();
    };
    const read = <T>(key: string, run: () => Promise<T>) => {
      count();
      checkKey(key);
      this.operations.reads += 1;
      return run();
    };
    const kv = this.kv;
    return {
      get: (key: string, options?: unknown) => read(key, () => kv.get(key, options as never)),
      getWithMetadata: (key: string, options?: unknown) => read(key, () => kv.getWithMetadata(key, options as never)),
      put: (key: string, value: string, options?: KVNamespacePutOptions) =>
        write(key, 'writes', () => kv.put(key, value, options)),
      delete: (key: string) => write(key, 'deletes', () => kv.delete(key)),
      list: (options?: KVNamespaceListOptions) => {
        count();
        this.operations.lists += 1;
        return kv.list(options);
      },
    } as unknown as KVNamespace;
  }

  /** The keys KV holds under `prefix` (read past the wrapper: what production's dashboard would show). */
  async keys(prefix: string): Promise<string[]> {
    return (await this.kv.list({ prefix })).keys.map((key) => key.name);
  }
}

/**
 * The purge queue's producer as the app sees it: a real local queue with no consumer (so nothing
 * purges behind the test's back), recording what was sent so the test hands it to the Worker's consumer.
 */
export class RecordedQueue {
  readonly sent: { body: unknown; delaySeconds: number }[] = [];

  constructor(private readonly queue: Queue = env.TEST_PURGE_QUEUE) {}

  binding(): Queue {
    const queue = this.queue;
    return {
      send: async (body: unknown, options?: QueueSendOptions) => {
        await queue.send(body, options);
        this.sent.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
      },
      sendBatch: async (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
        const list = [...messages];
        await queue.sendBatch(list, options);
        for (const message of list) this.sent.push({ body: message.body, delaySeconds: message.delaySeconds ?? 0 });
      },
    } as unknown as Queue;
  }

  /** Takes every message sent so far, as the queue would hand them to its consumer. */
  take(): unknown[] {
    return this.sent.splice(0).map((message) => message.body);
  }
}

/**
 * Hands these message bodies to a queue consumer in one batch, as the queue `queueName` would (first
 * attempts); what it acked, retried, and the delay of each retry.
 */
export async function consumeBatch(
  queueName: string,
  consumer: (env: Env, batch: MessageBatch<unknown>) => Promise<void>,
  workerEnv: Env,
  bodies: unknown[],
) {
  const batch = createMessageBatch(
    queueName,
    bodies.map((body, i) => ({ id: `${queueName}-${nextNumber()}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const retries = batch.messages.map((message) => vi.spyOn(message, 'retry'));
  await consumer(workerEnv, batch);
  const result = await getQueueResult(batch, createExecutionContext());
  const retryDelays = retries.flatMap((retry) => retry.mock.calls.map(([options]) => options?.delaySeconds));
  return { ...result, retryDelays };
}

/** A production-like deployment: the app and its handlers, each invocation with its own view of the wrapped KV. */
export class ProductionSite {
  readonly app = createApp();

  constructor(
    readonly kv = new ProductionKv(),
    readonly purges = new RecordedQueue(),
  ) {}

  /** The bindings one invocation sees. */
  env(): Env {
    return { ...env, PAGE_CACHE: this.kv.invocation(), PURGE_QUEUE: this.purges.binding() } as Env;
  }

  async fetch(path: string, init?: RequestInit): Promise<Response> {
    const ctx = createExecutionContext();
    const response = await this.app.fetch(new Request(new URL(path, 'http://localhost:8787'), init), this.env(), ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  /** Hands the messages sent so far to the Worker's purge consumer in one batch; its acks and retries. */
  async consumePurges(bodies: unknown[] = this.purges.take()) {
    const batch = createMessageBatch(
      'edgepress-purge-local',
      bodies.map((body, i) => ({ id: `purge-${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, this.env());
    const result = await getQueueResult(batch, ctx);
    const retried = new Set(result.retryMessages.map((message) => message.msgId));
    return { ...result, retriedBodies: bodies.filter((_, i) => retried.has(`purge-${i}`)) };
  }

  /**
   * Consumes everything queued, then what the consumer asked to retry (KV refused a key written less
   * than a second before), as the queue redelivers it, until nothing is left. How many retries it took.
   */
  async drainPurges(): Promise<number> {
    let result = await this.consumePurges();
    let retried = 0;
    while (result.retriedBodies.length > 0) {
      retried += result.retriedBodies.length;
      if (retried > 1000) throw new Error('A purge was retried without end');
      result = await this.consumePurges(result.retriedBodies);
    }
    return retried;
  }

  async scheduled(cron: string, scheduledTime: number): Promise<void> {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron, scheduledTime }), this.env(), ctx);
    await waitOnExecutionContext(ctx);
  }
}

/** Four sample articles the production-rate tests spread comments over. */
export const ARTICLES = [
  SAMPLE_ARTICLE_PATH,
  '/2010/10/asean-defence-ministers-hanoi',
  '/2010/09/japan-china-trawler-standoff',
  '/2010/11/korus-fta-seoul-stalemate',
];

/** Every comment publishes at once (the flood is of auto-approved comments). */
export const withoutModeration = (site: ProductionSite) => {
  const base = site.env.bind(site);
  site.env = () => ({ ...base(), COMMENT_MODERATION: 'none' }) as Env;
  return site;
};

/** A reader's comment form post from a network of its own (the per-network limits stay out of the way). */
export async function postComment(
  site: ProductionSite,
  articlePath: string,
  text: string,
  init: { address?: string } = {},
) {
  const slug = articlePath.split('/').pop()!;
  const email = uniqueEmail('flood');
  return site.fetch(`${articlePath}/comments`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: ORIGIN,
      'CF-Connecting-IP': init.address ?? freshAddress(),
    },
    body: new URLSearchParams({
      token: await formToken(slug),
      name: 'Flood Reader',
      email,
      comment: text,
    }),
  });
}

/** How many comments D1 holds with this text. */
export const storedCopies = async (text: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM comments WHERE body = ?').bind(text).first<{ n: number }>())!.n;
