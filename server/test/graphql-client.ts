import { WebSocket } from 'ws';
import { createClient, type Client, type ClientOptions } from 'graphql-ws';

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; fields?: Array<{ field: string; code: string }>; requestId?: string; [key: string]: unknown };
}
export interface GraphqlResult<T = Record<string, any>> {
  data?: T | null;
  errors?: GraphqlError[];
}

/** A person using the API over HTTP, keeping their session cookie like a browser would. */
export class HttpSession {
  cookie: string | undefined;

  constructor(private readonly url: string) {}

  async request<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResult<T>> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0]!;
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    return (await response.json()) as GraphqlResult<T>;
  }

  /** Data or a thrown error listing the GraphQL errors: for steps that must succeed. */
  async ok<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  async login(email: string, password: string): Promise<this> {
    await this.ok('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { id } }', { e: email, p: password });
    return this;
  }

  /** A websocket client carrying this session's cookie. */
  websocket(wsUrl: string, options: Pick<ClientOptions, 'retryAttempts' | 'on' | 'onNonLazyError'> = {}): Client {
    const cookie = this.cookie;
    class CookieWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: cookie ? { cookie } : {} });
      }
    }
    return createClient({ url: wsUrl, webSocketImpl: CookieWebSocket, lazy: false, ...options, retryAttempts: options.retryAttempts ?? 0 });
  }
}

/** Collects what a subscription delivers, for assertions that wait. */
export class Collected<T> {
  readonly items: T[] = [];
  readonly errors: unknown[] = [];
  completed = false;
  private waiters: Array<() => void> = [];

  push(item: T): void {
    this.items.push(item);
    this.waiters.splice(0).forEach((wake) => wake());
  }

  fail(error: unknown): void {
    this.errors.push(error);
    this.waiters.splice(0).forEach((wake) => wake());
  }

  complete(): void {
    this.completed = true;
    this.waiters.splice(0).forEach((wake) => wake());
  }

  /** Resolves when `predicate` holds; rejects after `ms`. */
  async until(predicate: (items: T[]) => boolean, ms = 10_000): Promise<T[]> {
    const deadline = Date.now() + ms;
    while (!predicate(this.items)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.items)} errors ${JSON.stringify(this.errors)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.items;
  }
}

export function subscribe<T = Record<string, any>>(client: Client, query: string, variables: Record<string, unknown> = {}): { collected: Collected<GraphqlResult<T>>; stop: () => void } {
  const collected = new Collected<GraphqlResult<T>>();
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => collected.push(value as GraphqlResult<T>),
      error: (error) => collected.fail(error),
      complete: () => collected.complete(),
    },
  );
  return { collected, stop };
}
