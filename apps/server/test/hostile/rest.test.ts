import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { baselineSnapshot, storeBaseline } from './support/baseline.js';
import { documentedOperations, hostileRequest, urlOf } from './support/rest-operations.js';
import { fuzzParameters } from './support/settings.js';

const RUNS = 150;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe.each(DIALECTS)('hostile REST requests on %s', (dialect) => {
  const app = useTestApp(dialect, { login: false });
  let tokens: Record<'admin' | 'viewer' | 'nobody', string | undefined>;
  let transactionId: number;

  beforeAll(async () => {
    const admin = (await app.login()).token;
    const viewer = await app.request('POST', '/api/users', {
      token: admin,
      body: { username: 'hostile-viewer', password: 'viewer-password-long', roles: ['viewer'] },
    });
    expect(viewer.status).toBe(201);
    tokens = {
      admin,
      viewer: (await app.login('hostile-viewer', 'viewer-password-long')).token,
      nobody: undefined,
    };
    transactionId = await storeBaseline(app, admin);
  });

  it('answers every documented route without a 5xx, refuses with an error body and changes nothing then', async () => {
    const { operations, resolve } = await documentedOperations(app);
    expect(operations.length).toBeGreaterThan(30);
    const admin = tokens.admin ?? '';
    let stored = await baselineSnapshot(app, admin, transactionId);
    await fc.assert(
      fc.asyncProperty(
        hostileRequest(operations, resolve),
        async ({ operation, caller, segments, query, contentType, body }) => {
          const url = urlOf(operation, segments, query);
          // fetch sends no body with GET: those routes get their path and query only.
          const sent = operation.method === 'GET' ? undefined : body;
          const headers: Record<string, string> = {};
          if (sent !== undefined)
            headers['content-type'] = contentType ?? operation.body?.contentType ?? 'application/json';
          const payload =
            sent === undefined ? undefined : 'raw' in sent ? sent.raw : JSON.stringify(sent.value ?? null);
          const response = await app.request(operation.method, url, {
            token: tokens[caller],
            ...(payload !== undefined && { body: payload }),
            headers,
          });
          const what = `${caller} ${operation.method} ${url.slice(0, 200)} ${String(payload).slice(0, 200)}`;
          expect(response.status, `${what} → ${response.text.slice(0, 300)}`).toBeLessThan(500);
          if (response.status < 400) {
            // An accepted change (only the admin can make one) is the new state to keep.
            if (MUTATING.has(operation.method)) stored = await baselineSnapshot(app, admin, transactionId);
            return;
          }
          expect(response.body, what).toEqual({
            error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
          });
          if (MUTATING.has(operation.method))
            expect(await baselineSnapshot(app, admin, transactionId), what).toEqual(stored);
        },
      ),
      fuzzParameters(RUNS),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await app.request('GET', '/api/health')).status).toBe(200);
    expect((await app.request('GET', '/api/auth/me', { token: admin })).status).toBe(200);
  });
});
