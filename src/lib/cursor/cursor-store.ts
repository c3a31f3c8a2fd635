/**
 * The part of a Node-RED context (node, flow or global) a cursor needs, with
 * callbacks so that persistent stores (localfilesystem, redis…) work. Declared
 * here so the library never imports Node-RED; a real context satisfies it.
 */
export interface ContextLike {
  get(key: string, store: string | undefined, callback: (err: Error | null | undefined, value?: unknown) => void): void;
  set(key: string, value: unknown, store: string | undefined, callback: (err?: Error | null) => void): void;
}

export type CursorScope = 'node' | 'flow' | 'global';

export interface CursorLocation {
  /** Context store name; empty or undefined = the default store. */
  store?: string;
  scope: CursorScope;
  key: string;
}

/** What an extraction needs from a cursor's home: a context store (CursorStore) or Redis (cluster.FencedCursorStore). */
export interface Cursors<T> {
  load(): Promise<T | undefined>;
  /** Resolves once the write is durable; rejects if it was refused or failed. */
  save(value: T): Promise<void>;
  clear(): Promise<void>;
}

/**
 * A durable cursor kept in a context store: the one cursor abstraction that every
 * extractor uses. `save` resolves only once the store has acknowledged the write,
 * so an extractor can wait for it before reading the next page.
 */
export class CursorStore<T> implements Cursors<T> {
  private readonly store: string | undefined;

  constructor(private readonly context: ContextLike, readonly location: CursorLocation, private readonly revive: (raw: unknown) => T | undefined = (raw) => raw as T) {
    this.store = location.store ? location.store : undefined;
  }

  load(): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.context.get(this.location.key, this.store, (err, value) => {
        if (err) return reject(new Error(`cannot read cursor "${this.location.key}" from context store "${this.store ?? 'default'}": ${err.message}`));
        try {
          resolve(value === undefined || value === null ? undefined : this.revive(value));
        } catch (e) {
          reject(new Error(`cursor "${this.location.key}" in context store "${this.store ?? 'default'}" is unreadable: ${(e as Error).message}`));
        }
      });
    });
  }

  save(value: T): Promise<void> {
    return this.write(value);
  }

  clear(): Promise<void> {
    return this.write(undefined);
  }

  private write(value: T | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      this.context.set(this.location.key, value, this.store, (err) => {
        if (err) reject(new Error(`cannot write cursor "${this.location.key}" to context store "${this.store ?? 'default'}": ${err.message}`));
        else resolve();
      });
    });
  }
}
