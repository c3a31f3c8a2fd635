import { createClient } from 'redis';
import type { RedisLike } from './scripts';

export interface RedisSettings {
  /** redis:// or rediss:// (TLS). */
  url: string;
  username?: string;
  password?: string;
  /** TLS: verify the server's certificate (default true). */
  verifyTls?: boolean;
  /** TLS: extra CA certificate(s), PEM. */
  ca?: Buffer | string;
  connectTimeoutMs?: number;
  /** A command unanswered this long fails and its connection is replaced (default 5,000 ms). */
  replyTimeoutMs?: number;
}

export interface RedisConnection extends RedisLike {
  /** Connected and ready for commands. */
  readonly ready: boolean;
  close(): Promise<void>;
}

/** Checks the url: redis:// or rediss:// only; throws an error naming the field. */
export function checkRedisUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`url: not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error(`url: must start with redis:// or rediss://, not ${parsed.protocol}//`);
  if (parsed.username || parsed.password) throw new Error('url: put the user name and password in the credentials, not in the URL');
  return parsed;
}

/**
 * A node-redis client for the cluster: it reconnects by itself (backoff up to 2 s)
 * and fails commands at once while disconnected (no offline queue), so a lease is
 * never renewed late from a queue; connection errors surface as failed commands.
 *
 * A command that gets no reply within `replyTimeoutMs` fails too, and its connection
 * is replaced by a new one. node-redis times out only a command's wait to be sent, so
 * without this a stalled Redis, or a path that drops its replies, kept every command
 * (and a closing node that waits for them) waiting until TCP gave up, about 15 minutes.
 */
export function connectRedis(settings: RedisSettings): RedisConnection {
  const url = checkRedisUrl(settings.url);
  const tls = url.protocol === 'rediss:';
  const connectTimeoutMs = settings.connectTimeoutMs ?? 5000;
  const replyTimeoutMs = settings.replyTimeoutMs ?? 5000;
  const open = () => {
    const client = createClient({
      url: settings.url,
      username: settings.username || undefined,
      password: settings.password || undefined,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: connectTimeoutMs,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000),
        ...(tls ? { tls: true as const, rejectUnauthorized: settings.verifyTls ?? true, ca: settings.ca } : {}),
      },
    });
    // Errors surface in the commands that fail; without a listener an error event would end the process.
    client.on('error', () => undefined);
    // The first connection is waited for (up to the connect timeout), so that commands
    // issued right after start-up do not report an outage that is only a connect in progress.
    const connecting = client.connect().then(() => undefined, () => undefined);
    return { client, connecting };
  };
  let current = open();
  let first = true;
  void current.connecting.finally(() => {
    first = false;
  });
  const waitForFirst = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([current.connecting, new Promise((resolve) => {
      timer = setTimeout(resolve, connectTimeoutMs);
    })]);
    clearTimeout(timer);
    first = false;
  };
  let closed = false;
  /** Drops a connection that left a command unanswered; its other commands fail with it. */
  const replace = (stale: ReturnType<typeof open>) => {
    if (closed || current !== stale) return;
    stale.client.destroy();
    current = open();
  };
  return {
    get ready() {
      return current.client.isReady;
    },
    async eval(script, options) {
      if (!current.client.isReady && first) await waitForFirst();
      const used = current;
      if (!used.client.isReady) throw new Error('Redis is not connected');
      const reply = used.client.eval(script, options);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`Redis did not answer within ${replyTimeoutMs} ms; reconnecting`));
          replace(used);
        }, replyTimeoutMs);
      });
      try {
        return await Promise.race([reply, deadline]);
      } finally {
        clearTimeout(timer);
        // A reply that lost the race still settles (the replaced connection rejects it): not an unhandled rejection.
        reply.catch(() => undefined);
      }
    },
    async close() {
      closed = true;
      // Not close(), which waits for every reply: one that never comes would hold a
      // closing node. The cluster's own commands were awaited before this.
      try {
        current.client.destroy();
      } catch {
        // already closed
      }
    },
  };
}
