import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { hasRow, pageOfQuery, type Page, type PageRequest } from './paging.js';

/** A certificate the OCPP CA signed for a station, as the REST API lists it. */
export interface IssuedCertificate {
  /** Upper-case hex. */
  serialNumber: string;
  subject: string;
  /** ISO-8601 UTC. */
  notBefore: string;
  notAfter: string;
  /** SHA-256, `AB:CD:…`. */
  fingerprint: string;
  issuedAt: string;
  /** When an operator revoked it; null while it stands. */
  revokedAt: string | null;
  /** PEM. */
  certificate: string;
}

/** What a new certificate row holds. */
export type NewCertificate = Omit<IssuedCertificate, 'revokedAt'>;

/** A certificate whose renewal is due, with where to ask for it. */
export interface DueRenewal {
  id: number;
  chargePointId: string;
  notAfter: string;
}

/** The columns of a certificate, selected as {@link IssuedCertificate} names them. */
const ISSUED_COLUMNS = [
  'serial_number as serialNumber',
  'subject',
  'not_before as notBefore',
  'not_after as notAfter',
  'fingerprint',
  'issued_at as issuedAt',
  'revoked_at as revokedAt',
  'certificate',
] as const;

/** Certificates the OCPP CA signed, per station. Queries only. */
export class CertificateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(stationId: number, certificate: NewCertificate): Promise<void> {
    await this.db
      .insertInto('station_certificates')
      .values({
        station_id: stationId,
        serial_number: certificate.serialNumber,
        subject: certificate.subject,
        not_before: certificate.notBefore,
        not_after: certificate.notAfter,
        fingerprint: certificate.fingerprint,
        certificate: certificate.certificate,
        issued_at: certificate.issuedAt,
      })
      .execute();
  }

  /** A station's certificates, the latest issued first. */
  async list(stationId: number, page: PageRequest): Promise<Page<IssuedCertificate>> {
    const query = this.db
      .selectFrom('station_certificates')
      .where('station_id', '=', stationId)
      .select(ISSUED_COLUMNS)
      .orderBy('issued_at', 'desc')
      .orderBy('id', 'desc');
    return pageOfQuery(query, page, (rows) => rows);
  }

  /**
   * Revokes a station's certificate by serial number, in one statement (the first revocation's time
   * is kept).
   * @returns the certificate as it is now, or undefined when the station has none of that serial.
   */
  async revoke(stationId: number, serialNumber: string, now: string): Promise<IssuedCertificate | undefined> {
    return this.db
      .updateTable('station_certificates')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
      .where('station_id', '=', stationId)
      .where('serial_number', '=', serialNumber)
      .returning(ISSUED_COLUMNS)
      .executeTakeFirst();
  }

  /** Whether the certificate of this fingerprint was signed here and revoked since. */
  async isRevoked(fingerprint: string): Promise<boolean> {
    return hasRow(
      this.db
        .selectFrom('station_certificates')
        .select('id')
        .where('fingerprint', '=', fingerprint)
        .where('revoked_at', 'is not', null),
    );
  }

  /** Whether a station holds a certificate signed here that is current and not revoked at `now`. */
  async hasCurrent(stationId: number, now: string): Promise<boolean> {
    return hasRow(
      this.db
        .selectFrom('station_certificates')
        .select('id')
        .where('station_id', '=', stationId)
        .where('revoked_at', 'is', null)
        .where('not_before', '<=', now)
        .where('not_after', '>', now),
    );
  }

  /**
   * Each station's newest standing certificate that expires before `before`, unless a newer one
   * was issued or its renewal was asked for after `askedBefore`, for connected stations only.
   */
  async dueRenewals(before: string, askedBefore: string, limit: number): Promise<DueRenewal[]> {
    const rows = await this.db
      .selectFrom('station_certificates as c')
      .innerJoin('stations as s', 's.id', 'c.station_id')
      .select(['c.id', 's.charge_point_id', 'c.not_after'])
      .where('s.connected', '=', 1)
      .where('c.revoked_at', 'is', null)
      .where('c.not_after', '<', before)
      .where((eb) =>
        eb.or([eb('c.renewal_requested_at', 'is', null), eb('c.renewal_requested_at', '<', askedBefore)]),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('station_certificates as n')
              .select('n.id')
              .whereRef('n.station_id', '=', 'c.station_id')
              .whereRef('n.issued_at', '>', 'c.issued_at'),
          ),
        ),
      )
      .orderBy('c.not_after')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ id: row.id, chargePointId: row.charge_point_id, notAfter: row.not_after }));
  }

  async markRenewalRequested(id: number, now: string): Promise<void> {
    await this.db
      .updateTable('station_certificates')
      .set({ renewal_requested_at: now })
      .where('id', '=', id)
      .execute();
  }
}
