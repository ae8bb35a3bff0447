import { Type, type Static } from 'typebox';
import { ChargePointId, Nullable } from './common.js';

/** One security event of a station (CONTRACT section 8). */
export const SecurityEventSchema = Type.Object({
  type: Type.String(),
  timestamp: Type.String({ format: 'date-time' }),
  techInfo: Type.Optional(Type.String()),
  source: Type.Union([Type.Literal('station'), Type.Literal('server')], {
    description: 'station: sent with SecurityEventNotification; server: recorded by the server',
  }),
});
export type SecurityEvent = Static<typeof SecurityEventSchema>;

/** A certificate the OCPP CA signed for a station (SignCertificate). */
export const StationCertificateSchema = Type.Object({
  serialNumber: Type.String({ description: 'upper-case hex' }),
  subject: Type.String({ examples: ['CN=CP-1, O=Acme'] }),
  notBefore: Type.String({ format: 'date-time' }),
  notAfter: Type.String({ format: 'date-time' }),
  fingerprint: Type.String({ description: 'SHA-256, colon-separated upper-case hex' }),
  issuedAt: Type.String({ format: 'date-time' }),
  revokedAt: Nullable(Type.String({ format: 'date-time' }), {
    description: 'when an operator revoked it (refused at the upgrade from then on); null while it stands',
  }),
  certificate: Type.String({ description: 'PEM' }),
});
export type StationCertificate = Static<typeof StationCertificateSchema>;

export const CertificateParams = Type.Object({
  chargePointId: ChargePointId,
  serialNumber: Type.String({ pattern: '^[0-9A-Fa-f]{1,64}$' }),
});
