import type { ErrorBody, ErrorCode } from '@cimorings/contracts';

/** Codes of failures that never reached the server's error handler. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'UNKNOWN_ERROR';

/**
 * A failed API call. Keeps the HTTP status and the server's error code so that callers branch
 * on them (`STATION_OFFLINE`, `RESERVATION_REFUSED`, ...), never on the message text.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Send the body as it is (e.g. CSV text) with this content type instead of JSON. */
  contentType?: string;
}

export interface ApiClientOptions {
  /** The current JWT, or null when logged out. Sent in the Authorization header, never in a URL. */
  token: () => string | null;
  /** Called when the server answers 401 to a call made with a token: it expired or was revoked. */
  onUnauthorized: () => void;
  /** Base URL; '' (same origin) in the browser. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** Builds `?a=1&b=x`, leaving out empty values. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The one place that talks HTTP to the server. */
export class ApiClient {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A file answer (CSV export) as a Blob, fetched with the Authorization header. */
  async download(path: string, query?: Query): Promise<Blob> {
    const response = await this.send('GET', path, { query });
    return response.blob();
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const token = this.options.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      body = options.contentType ? String(options.body) : JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await this.fetchFn(`${this.options.baseUrl ?? ''}${path}${queryString(options.query)}`, {
        method,
        headers,
        body,
      });
    } catch (error) {
      throw new ApiError(0, 'NETWORK_ERROR', error instanceof Error ? error.message : String(error));
    }
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401 && token) this.options.onUnauthorized();
    throw error;
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  let parsed: Partial<ErrorBody> | undefined;
  try {
    parsed = (await response.json()) as Partial<ErrorBody>;
  } catch {
    parsed = undefined;
  }
  const error = parsed?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(response.status, error.code, error.message ?? response.statusText, error.details);
  }
  return new ApiError(response.status, 'UNKNOWN_ERROR', response.statusText || `HTTP ${response.status}`);
}
