/**
 * A local stand-in for the parts of Stripe's API (https://docs.stripe.com/api) that src/paid calls, for
 * the tests and for trying Checkout by hand. It answers as Stripe's reference documents, with the
 * objects of the library's API version (a subscription's period is on its items; an invoice names its
 * subscription under `parent.subscription_details`):
 *   POST /v1/customers                     a customer (`cus_…`); Idempotency-Key honoured
 *   POST /v1/checkout/sessions             a session (`cs_…`, status open) whose `url` is this server's checkout page
 *   GET  /v1/checkout/sessions/:id
 *   GET  /v1/subscriptions/:id
 *   POST /v1/subscriptions/:id             cancel_at_period_end, metadata
 *   DELETE /v1/subscriptions/:id           cancels now
 *   POST /v1/billing_portal/sessions       a portal session (`bps_…`) whose `url` is this server's portal page
 * Errors as Stripe sends them: 401 without a key, 400 `parameter_missing`/`parameter_invalid_*`, 404
 * `resource_missing`. Bodies are form-encoded with brackets (`line_items[0][price_data][currency]=eur`).
 *
 * What a buyer or Stripe's clock would do, for the tests:
 *   POST /_fake/checkout/:id/complete      the buyer pays: the session completes, a subscription (active,
 *                                          one period from now) or a payment intent is made; answers the session
 *   POST /_fake/subscriptions/:id          JSON: sets status, current_period_start/end (Unix seconds), ended_at…
 *   GET  /_fake/checkout/:id, /_fake/portal/:id   pages with a Pay / Cancel button, for a browser
 *
 * By hand: `npx tsx test/support/fake-stripe.ts 8829` (any key but "sk_test_wrong").
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

type Fields = { [key: string]: string | Fields };
type StripeObject = Record<string, unknown> & { id: string };

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const DAY = 24 * 60 * 60;
const periodLength = (interval: string) => (interval === 'year' ? 365 : 30) * DAY;

/** `a[b][0]=x` pairs as nested objects (arrays stay objects keyed "0", "1"…). */
function parseForm(raw: string): Fields {
  const fields: Fields = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = fields;
    for (const part of path.slice(0, -1)) {
      if (typeof node[part] !== 'object') node[part] = {};
      node = node[part] as Fields;
    }
    node[path.at(-1)!] = value;
  }
  return fields;
}

const list = (value: string | Fields | undefined): Fields[] =>
  value && typeof value === 'object' ? (Object.values(value) as Fields[]) : [];
const text = (value: string | Fields | undefined) => (typeof value === 'string' ? value : undefined);

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; code?: string; message: string; param?: string },
  ) {
    super(body.message);
  }
}
const missing = (param: string) =>
  new StripeError(400, {
    type: 'invalid_request_error',
    code: 'parameter_missing',
    param,
    message: `Missing required param: ${param}.`,
  });
const noSuch = (kind: string, id: string, param?: string) =>
  new StripeError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param,
    message: `No such ${kind}: '${id}'`,
  });

export function createFakeStripe(): Server {
  const customers = new Map<string, StripeObject>();
  const sessions = new Map<string, StripeObject & { line_items: Fields[] }>();
  const subscriptions = new Map<string, StripeObject>();
  const portals = new Map<string, StripeObject>();
  const idempotent = new Map<string, unknown>();

  const found = <T>(map: Map<string, T>, kind: string, id: string, param?: string): T => {
    const object = map.get(id);
    if (!object) throw noSuch(kind, id, param);
    return object;
  };

  function createCustomer(fields: Fields) {
    const customer = {
      id: newId('cus'),
      object: 'customer',
      created: nowSeconds(),
      email: text(fields.email) ?? null,
      name: text(fields.name) ?? null,
      metadata: fields.metadata ?? {},
      livemode: false,
    };
    customers.set(customer.id, customer);
    return customer;
  }

  function createSession(fields: Fields, origin: string) {
    const mode = text(fields.mode);
    if (!mode) throw missing('mode');
    if (mode !== 'payment' && mode !== 'subscription') {
      throw new StripeError(400, {
        type: 'invalid_request_error',
        code: 'parameter_invalid_string',
        param: 'mode',
        message: `Invalid mode: ${mode}`,
      });
    }
    const successUrl = text(fields.success_url);
    if (!successUrl) throw missing('success_url');
    const items = list(fields.line_items);
    if (items.length === 0) throw missing('line_items');
    const customer = text(fields.customer);
    if (customer) found(customers, 'customer', customer, 'customer');
    let amount = 0;
    let currency = '';
    for (const item of items) {
      const price = item.price_data as Fields | undefined;
      if (!price || !text(price.currency) || !text(price.unit_amount)) throw missing('line_items[0][price_data]');
      const recurring = typeof price.recurring === 'object';
      if (recurring !== (mode === 'subscription')) {
        throw new StripeError(400, {
          type: 'invalid_request_error',
          message:
            mode === 'subscription'
              ? 'You must provide at least one recurring price in `subscription` mode when using prices.'
              : 'You specified `payment` mode but passed a recurring price.',
        });
      }
      amount += Number(price.unit_amount) * Number(text(item.quantity) ?? 1);
      currency = text(price.currency)!;
    }
    const id = newId('cs');
    const session = {
      id,
      object: 'checkout.session',
      created: nowSeconds(),
      expires_at: nowSeconds() + DAY,
      mode,
      status: 'open',
      payment_status: 'unpaid',
      customer: customer ?? null,
      customer_email: text(fields.customer_email) ?? null,
      customer_details: null,
      client_reference_id: text(fields.client_reference_id) ?? null,
      metadata: fields.metadata ?? {},
      subscription_data: fields.subscription_data ?? {},
      amount_subtotal: amount,
      amount_total: amount,
      currency,
      subscription: null,
      payment_intent: null,
      success_url: successUrl,
      cancel_url: text(fields.cancel_url) ?? null,
      url: `${origin}/_fake/checkout/${id}`,
      livemode: false,
      line_items: items,
    };
    sessions.set(id, session);
    return session;
  }

  const publicSession = ({
    line_items: _items,
    subscription_data: _data,
    ...session
  }: StripeObject & { line_items: Fields[] }) => session;

  /** The buyer pays: the session completes and Stripe makes what it bought. */
  function completeSession(id: string) {
    const session = found(sessions, 'checkout.session', id);
    if (session.status !== 'open') return publicSession(session);
    const customerId =
      (session.customer as string | null) ??
      createCustomer({ email: String(session.customer_email ?? 'buyer@example.com') }).id;
    const customer = found(customers, 'customer', customerId);
    const price = session.line_items[0]!.price_data as Fields;
    if (session.mode === 'subscription') {
      const interval = String((price.recurring as Fields).interval);
      const start = nowSeconds();
      const subscription = {
        id: newId('sub'),
        object: 'subscription',
        customer: customerId,
        status: 'active',
        currency: session.currency,
        created: start,
        start_date: start,
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        metadata: ((session.subscription_data as Fields).metadata as Fields | undefined) ?? {},
        items: {
          object: 'list',
          data: [
            {
              id: newId('si'),
              object: 'subscription_item',
              quantity: 1,
              current_period_start: start,
              current_period_end: start + periodLength(interval),
              price: {
                id: newId('price'),
                object: 'price',
                currency: session.currency,
                unit_amount: Number(price.unit_amount),
                recurring: { interval, interval_count: 1 },
                type: 'recurring',
              },
            },
          ],
        },
        livemode: false,
      };
      subscriptions.set(subscription.id, subscription);
      session.subscription = subscription.id;
    } else {
      session.payment_intent = newId('pi');
    }
    Object.assign(session, {
      status: 'complete',
      payment_status: 'paid',
      customer: session.mode === 'subscription' || session.customer ? customerId : null,
      customer_details: { email: session.customer_email ?? customer.email, name: customer.name ?? null },
    });
    return publicSession(session);
  }

  function updateSubscription(id: string, fields: Record<string, unknown>) {
    const subscription = found(subscriptions, 'subscription', id);
    const item = (subscription.items as { data: Record<string, unknown>[] }).data[0]!;
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'current_period_start' || name === 'current_period_end') item[name] = Number(value);
      else if (name === 'cancel_at_period_end') subscription[name] = value === true || value === 'true';
      else if (name === 'metadata') Object.assign(subscription.metadata as object, value);
      else if (['status', 'ended_at', 'canceled_at'].includes(name)) subscription[name] = value;
    }
    return subscription;
  }

  function createPortal(fields: Fields, origin: string) {
    const customer = text(fields.customer);
    if (!customer) throw missing('customer');
    found(customers, 'customer', customer, 'customer');
    const id = newId('bps');
    const portal = {
      id,
      object: 'billing_portal.session',
      created: nowSeconds(),
      customer,
      return_url: text(fields.return_url) ?? null,
      url: `${origin}/_fake/portal/${id}`,
      livemode: false,
    };
    portals.set(id, portal);
    return portal;
  }

  async function api(method: string, path: string, raw: string, origin: string, idempotencyKey?: string) {
    const fields = parseForm(raw);
    const [, , resource, id, action] = path.split('/');
    if (method === 'POST' && idempotencyKey && idempotent.has(idempotencyKey)) return idempotent.get(idempotencyKey);
    let result: unknown;
    if (method === 'POST' && path === '/v1/customers') result = createCustomer(fields);
    else if (method === 'POST' && path === '/v1/checkout/sessions')
      result = publicSession(createSession(fields, origin));
    else if (method === 'GET' && resource === 'checkout' && action)
      result = publicSession(found(sessions, 'checkout.session', action));
    else if (method === 'GET' && resource === 'subscriptions' && id) result = found(subscriptions, 'subscription', id);
    else if (method === 'POST' && resource === 'subscriptions' && id) result = updateSubscription(id, fields);
    else if (method === 'DELETE' && resource === 'subscriptions' && id)
      result = updateSubscription(id, { status: 'canceled', ended_at: nowSeconds(), canceled_at: nowSeconds() });
    else if (method === 'POST' && path === '/v1/billing_portal/sessions') result = createPortal(fields, origin);
    else
      throw new StripeError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: ${path}).`,
      });
    if (method === 'POST' && idempotencyKey) idempotent.set(idempotencyKey, result);
    return result;
  }

  const json = (response: ServerResponse, status: number, body: unknown) =>
    response
      .writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': newId('req') })
      .end(JSON.stringify(body));
  const page = (response: ServerResponse, body: string) =>
    response
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><title>Stripe stand-in</title>${body}`);

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const origin = url.origin;
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const method = request.method ?? 'GET';
    const parts = url.pathname.split('/');

    if (url.pathname.startsWith('/_fake/')) {
      const [, , kind, id, action] = parts;
      if (kind === 'checkout' && id && action === 'complete' && method === 'POST')
        return json(response, 200, completeSession(id));
      if (kind === 'subscriptions' && id && method === 'POST')
        return json(response, 200, updateSubscription(id, JSON.parse(raw || '{}')));
      if (kind === 'checkout' && id && action === 'pay' && method === 'POST') {
        const session = completeSession(id);
        const back = String(session.success_url).replace('{CHECKOUT_SESSION_ID}', id);
        return response.writeHead(303, { Location: back }).end();
      }
      if (kind === 'checkout' && id && method === 'GET') {
        const session = found(sessions, 'checkout.session', id);
        return page(
          response,
          `<h1>Pay ${(Number(session.amount_total) / 100).toFixed(2)} ${String(session.currency).toUpperCase()}</h1><form method="post" action="/_fake/checkout/${id}/pay"><button>Pay</button></form>`,
        );
      }
      if (kind === 'portal' && id && action === 'cancel' && method === 'POST') {
        const portal = found(portals, 'billing_portal.session', id);
        for (const subscription of subscriptions.values()) {
          if (subscription.customer === portal.customer && subscription.status === 'active') {
            updateSubscription(subscription.id, { cancel_at_period_end: true, canceled_at: nowSeconds() });
          }
        }
        return response.writeHead(303, { Location: String(portal.return_url) }).end();
      }
      if (kind === 'portal' && id && method === 'GET') {
        found(portals, 'billing_portal.session', id);
        return page(
          response,
          `<h1>Your subscription</h1><form method="post" action="/_fake/portal/${id}/cancel"><button>Cancel subscription</button></form>`,
        );
      }
      return json(response, 404, { error: 'not found' });
    }

    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!key || key === 'sk_test_wrong') {
      return json(response, 401, {
        error: {
          type: 'invalid_request_error',
          message: key ? `Invalid API Key provided: ${key.slice(0, 8)}***` : 'You did not provide an API key.',
        },
      });
    }
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    return json(
      response,
      200,
      await api(method, url.pathname, method === 'GET' ? url.search.slice(1) : raw, origin, idempotencyKey),
    );
  }

  return createServer((request, response) => {
    handle(request, response).catch((error) =>
      error instanceof StripeError
        ? json(response, error.status, { error: error.body })
        : json(response, 500, { error: { type: 'api_error', message: String(error) } }),
    );
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8829);
  createFakeStripe().listen(port, '127.0.0.1', () => console.log(`Stripe stand-in on http://127.0.0.1:${port}`));
}
