import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

describe('health, metrics, API docs and logs', () => {
  const logLines: string[] = [];

  const app = useTestApp('sqlite', { logLines, login: false });

  it('answers /api/health and /api/ready without a token', async () => {
    expect(await app.request('GET', '/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await app.request('GET', '/api/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('lists this node alone in /api/cluster without Redis, to monitoring.view only', async () => {
    expect((await app.request('GET', '/api/cluster')).status).toBe(401);
    const { token } = await app.login();
    const response = await app.request('GET', '/api/cluster', { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      nodes: [
        {
          nodeId: expect.stringMatching(/^test-/),
          startedAt: expect.any(String),
          lastSeenAt: expect.any(String),
          stations: 0,
        },
      ],
    });
  });

  it('serves Prometheus metrics with HTTP request counts by route', async () => {
    await app.request('GET', '/api/health');
    const response = await app.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/health",status_code="200"\} \d+/,
    );
    expect(response.text).toContain('http_request_duration_seconds_bucket');
    expect(response.text).toContain('process_resident_memory_bytes');
  });

  it('publishes an OpenAPI 3 document generated from the route schemas, and its UI', async () => {
    const response = await app.request('GET', '/api/docs/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/auth/login',
      '/api/auth/me',
      '/api/users',
      '/api/users/{id}',
      '/api/roles',
      '/api/permissions',
    ]) {
      expect(Object.keys(response.body.paths)).toContain(path);
    }
    expect(
      response.body.paths['/api/users'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['username', 'password', 'roles']);
    const ui = await app.request('GET', '/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('documents each command with the official OCPP 1.6 request and response schema of its action', async () => {
    const { body } = await app.request('GET', '/api/docs/openapi.json');
    const commands = Object.keys(body.paths).filter((path) => path.includes('/commands/'));
    expect(commands).toContain('/api/stations/{chargePointId}/commands/Reset');
    expect(commands).toHaveLength(26);
    const remoteStart = body.paths['/api/stations/{chargePointId}/commands/RemoteStartTransaction'].post;
    const request = remoteStart.requestBody.content['application/json'].schema;
    expect(request.required).toEqual(['idTag']);
    expect(request.properties.idTag).toEqual({ type: 'string', maxLength: 20 });
    expect(request.properties.connectorId).toEqual({ type: 'integer' });
    const answer = remoteStart.responses['200'].content['application/json'].schema;
    expect(answer.required).toEqual(['status']);
    expect(answer.properties.status.enum).toEqual(['Accepted', 'Rejected']);
    expect(remoteStart.responses['409']).toBeDefined();
    expect(remoteStart.parameters.map((p: { name: string }) => p.name)).toEqual(['chargePointId']);
  });

  it('answers unknown routes with the error body', async () => {
    const response = await app.request('GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route GET /api/nothing-here' },
    });
  });

  it('tags every answer with a request id, keeping a sane one given by the caller', async () => {
    const given = await app.request('GET', '/api/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const made = await app.request('GET', '/api/health', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const response = await app.request('GET', '/api/health');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });

  it('logs requests with their ids but never a password or a token', async () => {
    const { token } = await app.login('admin', ADMIN_PASSWORD);
    await app.request('POST', '/api/auth/login', {
      body: { username: 'admin', password: 'wrong-secret-77' },
    });
    await app.request('GET', '/api/auth/me', { token, headers: { 'x-request-id': 'find-me-1' } });
    const text = logLines.join('');
    expect(text).toContain('find-me-1');
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toContain('wrong-secret-77');
    expect(text).not.toContain(token);
  });
});
