// What a transport reports: a status on success, a classified DeliveryError otherwise.

export type FailureKind = 'retry' | 'throttle' | 'fatal';

/** A send failure: `retry` (network/5xx, not yet retried), `throttle` (429: wait then resend), `fatal`. */
export class DeliveryError extends Error {
  constructor(message: string, readonly kind: FailureKind, readonly status?: number, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface Transport<R> {
  send(request: R): Promise<{ status: number }>;
  /** Attempts made by the transport itself (HttpClient retries), read after each send. */
  takeAttempts?(): number;
  close(): void;
}
