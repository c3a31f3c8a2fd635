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
 */
export function connectRedis(settings: RedisSettings): RedisConnection {
  const url = checkRedisUrl(settings.url);
  const tls = url.protocol === 'rediss:';
  const client = createClient({
    url: settings.url,
    username: settings.username || undefined,
    password: settings.password || undefined,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: settings.connectTimeoutMs ?? 5000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000),
      ...(tls ? { tls: true as const, rejectUnauthorized: settings.verifyTls ?? true, ca: settings.ca } : {}),
    },
  });
  // Errors surface in the commands that fail; without a listener an error event would end the process.
  client.on('error', () => undefined);
  // The first connection is waited for (up to the connect timeout), so that commands
  // issued right after start-up do not report an outage that is only a connect in progress.
  let first = true;
  const initial = client.connect().then(() => undefined, () => undefined).finally(() => {
    first = false;
  });
  const waitForFirst = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([initial, new Promise((resolve) => {
      timer = setTimeout(resolve, settings.connectTimeoutMs ?? 5000);
    })]);
    clearTimeout(timer);
    first = false;
  };
  return {
    get ready() {
      return client.isReady;
    },
    async eval(script, options) {
      if (!client.isReady && first) await waitForFirst();
      if (!client.isReady) throw new Error('Redis is not connected');
      return client.eval(script, options);
    },
    async close() {
      try {
        if (client.isReady) await client.close();
        else client.destroy();
      } catch {
        // already closed
      }
    },
  };
}
