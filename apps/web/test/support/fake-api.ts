import type { ReservationCreatedPayload } from '@cimorings/contracts';
import type { Api, LoginResponse, Page, Transaction, TransactionDetail } from '../../src/api';

/** A user with the given permissions, as the login answer carries it. */
export function userWith(
  permissions: string[],
  allowedStations: string[] | null = null,
): LoginResponse['user'] {
  return {
    id: 1,
    username: 'tester',
    roles: ['custom'],
    permissions,
    allowedStations,
    allowedSites: null,
    active: true,
    createdAt: '2026-01-11T14:00:00.000Z',
    updatedAt: '2026-01-11T14:00:00.000Z',
  };
}

export function transaction(fields: Partial<Transaction> & { transactionId: number }): Transaction {
  return {
    chargePointId: 'CS001',
    connectorId: 1,
    idTag: 'USER123',
    ocppTransactionId: null,
    status: 'active',
    meterStart: 1000,
    meterStop: null,
    startedAt: '2026-01-11T14:30:00.000Z',
    stoppedAt: null,
    stopReason: null,
    energyDelivered: null,
    ...fields,
  };
}

/** A reservation as `reservation_created` carries it: connector 1 of CS001 for USER123. */
export function reservationCreated(reservationId: number): ReservationCreatedPayload {
  return {
    reservationId,
    chargePointId: 'CS001',
    connectorId: 1,
    idTag: 'USER123',
    expiryDate: '2026-01-11T16:00:00.000Z',
    userName: 'John Doe',
    phoneNumber: '+6281234567890',
  };
}

export function page<T>(items: T[]): Page<T> {
  return { items, total: items.length };
}

type DeepPartial<T> = { [K in keyof T]?: Partial<T[K]> };

/**
 * An Api whose every call fails loudly unless the test gives it an answer: tests state exactly
 * which server calls a behaviour needs.
 */
export function fakeApi(overrides: DeepPartial<Api> = {}): Api {
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected API call: ${name}`));
  const area = <K extends keyof Api>(key: K, names: (keyof Api[K])[]): Api[K] =>
    Object.fromEntries(
      names.map((name) => [name, overrides[key]?.[name] ?? unexpected(`${String(key)}.${String(name)}`)]),
    ) as unknown as Api[K];
  return {
    auth: area('auth', ['login', 'me', 'changePassword']),
    stations: area('stations', [
      'list',
      'get',
      'create',
      'update',
      'remove',
      'approve',
      'onboarding',
      'messages',
      'commandLog',
      'sendLocalList',
      'control',
      'message',
      'variables',
      'setVariables',
    ]),
    stats: area('stats', ['get']),
    sites: area('sites', ['list', 'create', 'get', 'update', 'load']),
    chargingProfiles: area('chargingProfiles', ['list', 'install', 'remove']),
    transactions: area('transactions', ['list', 'get', 'csv', 'close']),
    reservations: area('reservations', ['list', 'create', 'cancel']),
    idTags: area('idTags', ['list', 'create', 'update', 'remove', 'importCsv']),
    users: area('users', ['list', 'create', 'update', 'remove']),
    roles: area('roles', ['list', 'create', 'update', 'remove', 'permissions']),
  };
}

export function activeList(...items: Transaction[]) {
  return () => Promise.resolve(page(items));
}

export function detailOf(tx: Transaction, meterValues: TransactionDetail['meterValues'] = []) {
  return () => Promise.resolve({ ...tx, meterValues });
}
