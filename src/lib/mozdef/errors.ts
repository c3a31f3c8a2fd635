/** Error codes of the MozDef sender (contract S1). */
export type MozDefErrorCode = 'EVALIDATE' | 'EPOSTVALIDATE' | 'EHTTP' | 'ESIZE' | 'EUNSUPPORTED' | 'ETRANSPORT' | 'EINPUT';

/**
 * A MozDef failure. For the reference's failures the message is exactly its text
 * (mozdef_client's MozDefError, without the quotes its __str__ adds); `fields` lists
 * missing paths.
 * `retryable` says whether the queue should keep the event and try again.
 */
export class MozDefError extends Error {
  readonly code: MozDefErrorCode;
  readonly fields: string[];
  readonly retryable: boolean;
  readonly status?: number;

  constructor(message: string, code: MozDefErrorCode, opts: { fields?: string[]; retryable?: boolean; status?: number } = {}) {
    super(message);
    this.name = 'MozDefError';
    this.code = code;
    this.fields = opts.fields ?? [];
    this.retryable = opts.retryable ?? false;
    this.status = opts.status;
  }
}

export const TEXT = {
  validation: 'message failed validation',
  postValidation: 'message failed post construct validation',
  construct: 'subclass of MozDefMessage must override construct()',
  noSyslog: 'message type does not support syslog submission',
  noSqs: 'message type does not support SQS submission',
  sqsSize: (n: number) => `message length of ${n} is over the SQS maximum allowed message size of 262144`,
  post: (status: number, body: string) => `POST failed with code ${status} msg ${body.slice(0, 512)}`,
} as const;

/** A validation error: the message is exactly the reference text; `fields` names what is missing. */
export function validationError(text: string, code: 'EVALIDATE' | 'EPOSTVALIDATE', fields: string[]): MozDefError {
  return new MozDefError(text, code, { fields });
}

/** The error as a user should read it: the reference text plus the missing fields. */
export function describeError(err: MozDefError): string {
  return err.fields.length && (err.code === 'EVALIDATE' || err.code === 'EPOSTVALIDATE')
    ? `${err.message} (missing or empty: ${err.fields.join(', ')})`
    : err.message;
}
