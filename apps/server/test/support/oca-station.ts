import { expect } from 'vitest';
import type { TestChargePoint } from './ocpp-client.js';
import { recordingHandlers, type Received } from './station2-answers.js';
import type { TestResponse } from './test-app.js';
import { useBootedStation2 } from './use-station2.js';
import type { UsedTestApp } from './use-test-app.js';

type Answer = (params: never) => unknown;

/** What the OCA CSMS test cases drive: the operator's REST calls and a recording 2.0.1 station. */
export interface OcaStation {
  /** The station's client (from `beforeAll` on). */
  readonly cs: TestChargePoint;
  /** Every message the station received, in order. */
  readonly got: Received[];
  /** The operator's REST call, as the admin. */
  request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<TestResponse>;
  /** `POST /api/stations/{identity}/{path}`. */
  station(path: string, body: unknown): Promise<TestResponse>;
  /** `POST /api/stations/{identity}/commands/{action}`. */
  command(action: string, body: unknown): Promise<TestResponse>;
  /** Runs `act` with the station answering `action` with `answer`, then restores the default. */
  answering<T>(action: string, answer: Answer, act: () => Promise<T>): Promise<T>;
  /**
   * Sends `action` with `payload` through the commands endpoint, the station answering `answer`
   * (else as ANSWERS_2 does); checks that the station got exactly that message, and answers the
   * REST response.
   */
  exchange(action: string, payload: unknown, answer?: unknown): Promise<TestResponse>;
  /** The last message the station received. */
  last(): Received | undefined;
  /** The status of connector `connectorId` (an EVSE) of the station object. */
  connector(connectorId: number): Promise<string | undefined>;
  /** `GET /api/transactions/{id}`, by the station's or the integer id. */
  transaction(id: string | number): Promise<TestResponse['body']>;
}

/**
 * Gives a describe block of OCA CSMS test cases the id tags `idTags` and a 2.0.1 station
 * `identity` booted on `app` that records what it receives and answers as ANSWERS_2 does, unless
 * a test says otherwise through `answering`.
 */
export function useOcaStation(
  app: UsedTestApp,
  identity: string,
  idTags: Parameters<typeof useBootedStation2>[2] = [],
): OcaStation {
  const got: Received[] = [];
  const answers: Record<string, Answer> = {};
  const cs = useBootedStation2(app, identity, idTags, recordingHandlers(got, answers));
  const request: OcaStation['request'] = (method, path, body) =>
    app.request(method, path, { token: app.admin, ...(body !== undefined && { body }) });
  const command: OcaStation['command'] = (action, body) =>
    request('POST', `/api/stations/${identity}/commands/${action}`, body);
  const answering: OcaStation['answering'] = async (action, answer, act) => {
    answers[action] = answer;
    try {
      return await act();
    } finally {
      delete answers[action];
    }
  };
  return {
    cs,
    got,
    request,
    station: (path, body) => request('POST', `/api/stations/${identity}/${path}`, body),
    command,
    answering,
    async exchange(action, payload, answer) {
      const send = () => command(action, payload);
      const response = await (answer === undefined ? send() : answering(action, () => answer, send));
      expect(got.at(-1)).toEqual({ action, params: payload });
      return response;
    },
    last: () => got.at(-1),
    async connector(connectorId) {
      const { body } = await request('GET', `/api/stations/${identity}`);
      return (body.connectors as { connectorId: number; status: string }[]).find(
        (c) => c.connectorId === connectorId,
      )?.status;
    },
    transaction: async (id) => (await request('GET', `/api/transactions/${id}`)).body,
  };
}
