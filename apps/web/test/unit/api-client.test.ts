import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, queryString } from '../../src/api/client';

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(
    async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers }),
  );
}

describe('ApiClient', () => {
  it('sends the token in the Authorization header and never in the URL', async () => {
    const fetch = respond(200, { ok: true });
    const client = new ApiClient({ token: () => 'jwt-1', onUnauthorized: () => undefined, fetch });
    await client.get('/api/stations', { search: 'CS', status: '', limit: 20, offset: undefined });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/stations?search=CS&limit=20');
    expect(url).not.toContain('jwt-1');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer jwt-1');
  });

  it('keeps the HTTP status, the error code and the details of a failed call', async () => {
    const fetch = respond(409, {
      error: { code: 'RESERVATION_REFUSED', message: 'refused', details: { status: 'Occupied' } },
    });
    const client = new ApiClient({ token: () => 'jwt', onUnauthorized: () => undefined, fetch });
    const error = await client.post('/api/reservations', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'RESERVATION_REFUSED',
      details: { status: 'Occupied' },
    });
  });

  it('reports a 401 to a call made with a token as the end of the session', async () => {
    const onUnauthorized = vi.fn();
    const client = new ApiClient({
      token: () => 'expired',
      onUnauthorized,
      fetch: respond(401, { error: { code: 'UNAUTHORIZED', message: 'expired' } }),
    });
    await expect(client.get('/api/auth/me')).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('does not end a session on the 401 of a wrong password at login', async () => {
    const onUnauthorized = vi.fn();
    const client = new ApiClient({
      token: () => null,
      onUnauthorized,
      fetch: respond(401, { error: { code: 'UNAUTHORIZED', message: 'wrong' } }),
    });
    await expect(client.post('/api/auth/login', {})).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('turns a failure without an error body or a network failure into a coded ApiError', async () => {
    const plain = new ApiClient({
      token: () => null,
      onUnauthorized: () => undefined,
      fetch: vi.fn(async () => new Response('gateway down', { status: 502, statusText: 'Bad Gateway' })),
    });
    await expect(plain.get('/api/x')).rejects.toMatchObject({ status: 502, code: 'UNKNOWN_ERROR' });
    const offline = new ApiClient({
      token: () => null,
      onUnauthorized: () => undefined,
      fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    });
    await expect(offline.get('/api/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('answers undefined for 204 and sends CSV bodies as they are', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const client = new ApiClient({ token: () => 't', onUnauthorized: () => undefined, fetch });
    await expect(client.delete('/api/id-tags/A')).resolves.toBeUndefined();
    await client.request('POST', '/api/id-tags/import', { body: 'idTag\nA', contentType: 'text/csv' });
    const init = (fetch.mock.calls[1] as unknown as [string, RequestInit])[1];
    expect(init.body).toBe('idTag\nA');
    expect((init.headers as Record<string, string>)['content-type']).toBe('text/csv');
  });

  it('builds query strings without empty values', () => {
    expect(queryString({ a: 1, b: '', c: null, d: undefined, e: false })).toBe('?a=1&e=false');
    expect(queryString({})).toBe('');
  });
});
