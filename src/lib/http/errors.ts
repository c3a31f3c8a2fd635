export type HttpErrorKind = 'status' | 'network' | 'timeout' | 'bad-json' | 'aborted' | 'auth' | 'api';

/**
 * An HTTP failure with a message fit for a Node-RED status, log or Catch node:
 * method and path, the status or network cause, and a short excerpt of the body.
 * It never carries request headers, and HttpClient scrubs their credentials from
 * the body (util/secrets) before building one, so a server that echoes them
 * cannot leak them through it.
 */
export class HttpError extends Error {
  readonly kind: HttpErrorKind;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfter?: string;
  readonly body?: string;
  readonly code?: string;

  constructor(message: string, opts: { kind: HttpErrorKind; status?: number; retryable?: boolean; retryAfter?: string; body?: string; code?: string }) {
    super(message);
    this.name = 'HttpError';
    this.kind = opts.kind;
    this.status = opts.status;
    this.retryable = opts.retryable ?? false;
    this.retryAfter = opts.retryAfter;
    this.body = opts.body;
    this.code = opts.code;
  }

  static fromStatus(what: string, status: number, body: string | undefined, retryAfter?: string): HttpError {
    const excerpt = excerptOf(body);
    return new HttpError(`${what} failed with HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, {
      kind: 'status',
      status,
      retryable: status >= 500 || status === 429,
      retryAfter,
      body,
    });
  }

  static fromNetwork(what: string, err: unknown): HttpError {
    const e = err as { code?: string; message?: string };
    const timedOut = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '');
    const cause = e.code === 'ECONNREFUSED' ? 'connection refused'
      : e.code === 'ENOTFOUND' ? 'host not found'
        : e.code === 'ECONNRESET' ? 'connection reset'
          : timedOut ? 'timed out'
            : /certificate|self.signed|unable to verify/i.test(e.message ?? '') ? `TLS verification failed (${e.code ?? e.message})`
              : (e.code ?? e.message ?? 'network error');
    return new HttpError(`${what} failed: ${cause}`, { kind: timedOut ? 'timeout' : 'network', retryable: !/TLS verification/.test(cause), code: e.code });
  }
}

/** A short, single-line excerpt of a response body for error messages. */
export function excerptOf(body: string | undefined, max = 200): string {
  if (!body) return '';
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
