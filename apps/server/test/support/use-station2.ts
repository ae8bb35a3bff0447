import { afterAll, beforeAll } from 'vitest';
import { createIdTags } from './builders.js';
import type { TestChargePoint } from './ocpp-client.js';
import { bootStation2 } from './ocpp2-client.js';
import type { UsedTestApp } from './use-test-app.js';

type IdTag = Parameters<typeof createIdTags>[2];

/**
 * Gives a describe block the id tags `idTags` and an OCPP 2.0.1 station `identity` booted on
 * `app` (answering the server's calls with `handlers`), both made in `beforeAll`; the station is
 * closed in `afterAll`. The answer stands for the station's client from `beforeAll` on; reading it
 * earlier throws.
 */
export function useBootedStation2(
  app: UsedTestApp,
  identity: string,
  idTags: IdTag[] = [],
  handlers?: Record<string, (params: unknown) => unknown>,
): TestChargePoint {
  let client: TestChargePoint | undefined;
  beforeAll(async () => {
    await createIdTags(app, app.admin, ...idTags);
    ({ client } = await bootStation2(app.url, identity, handlers && { handlers }));
  });
  afterAll(async () => {
    await client?.close();
  });
  // A proxy rather than a copy, as useTestApp's: whatever the client offers stays reachable.
  return new Proxy({} as TestChargePoint, {
    get(_target, key) {
      if (!client) throw new Error(`${identity} boots in beforeAll: use it inside hooks and tests`);
      const value: unknown = Reflect.get(client, key);
      return typeof value === 'function' ? value.bind(client) : value;
    },
  });
}
