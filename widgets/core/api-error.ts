/** The error codes the BFF answers with (DESIGN §3), plus the two the client itself produces. */
export type ApiErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'session_expired'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'rule_violation'
  | 'rate_limited'
  | 'unavailable'
  | 'internal'
  /** The request never got an answer (offline, DNS, CORS). */
  | 'network_error'
  /** The answer was not the kit's error body (a proxy's HTML page, for instance). */
  | 'bad_response';

/** One field the server refused, as in `details.fields` of `invalid_request` and `conflict`. */
export interface FieldError {
  path: string;
  message: string;
}

/** Marks an ApiError of any copy of the kit: `Symbol.for`, as config.ts's shared state (see `instanceof` below). */
const brand: unique symbol = Symbol.for('customer-kit.ApiError');

/**
 * A failed API call: the HTTP status and the kit's error body `{ error: { code, message, details } }`.
 * `status` is 0 when the request never got an answer.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly [brand] = true;

  /**
   * `instanceof ApiError` holds for the errors of another copy of the kit on the page too (per-element
   * bundles beside the whole kit): an element may use a client the other copy made (config.ts shares them).
   */
  static override [Symbol.hasInstance](value: unknown): value is ApiError {
    return (value as ApiError | null)?.[brand] === true;
  }

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | (string & {}),
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The refused fields from `details.fields`, if the server named any. */
  get fields(): FieldError[] {
    const fields = this.details?.fields;
    if (!Array.isArray(fields)) return [];
    return fields.filter(
      (f): f is FieldError => typeof f?.path === 'string' && typeof f?.message === 'string',
    );
  }

  /** Reads an error response into an ApiError; never throws. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const body: unknown = await response.json().catch(() => undefined);
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    if (error && typeof error.code === 'string') {
      const details = error.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : undefined;
      return new ApiError(response.status, error.code, String(error.message ?? error.code), details);
    }
    const code = response.status === 503 || response.status === 502 || response.status === 504 ? 'unavailable' : 'bad_response';
    return new ApiError(response.status, code, `HTTP ${response.status} ${response.statusText}`.trim());
  }
}

/** True for the rejection of an aborted fetch (a stale search, a disconnected element). */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
