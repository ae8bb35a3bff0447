import { describe, expect, it } from 'vitest';
import {
  defaultSecurityProfile,
  needsPassword,
  profilePasswordProblem,
  securityRefusal,
  type ConnectionSecurity,
  type SecurityProfile,
} from '../../src/domain/security-profile.js';

const plain: ConnectionSecurity = { tls: false, certificate: null };
const tls: ConnectionSecurity = { tls: true, certificate: null };
const own: ConnectionSecurity = {
  tls: true,
  certificate: { verified: true, commonName: 'CP-1', problem: null, fingerprint: null },
};
const other: ConnectionSecurity = {
  tls: true,
  certificate: { verified: true, commonName: 'CP-2', problem: null, fingerprint: null },
};
const expired: ConnectionSecurity = {
  tls: true,
  certificate: { verified: false, commonName: 'CP-1', problem: 'certificate has expired', fingerprint: null },
};

describe('security profile rules', () => {
  it.each<[SecurityProfile, ConnectionSecurity, string | null]>([
    [0, plain, null],
    [1, plain, null],
    [1, expired, null],
    [2, plain, 'SecurityProfileNotMet'],
    [2, tls, null],
    [3, tls, 'SecurityProfileNotMet'],
    [3, plain, 'SecurityProfileNotMet'],
    [3, expired, 'InvalidChargePointCertificate'],
    [3, own, null],
    [3, other, 'InvalidChargePointCertificate'],
    [0, other, 'InvalidChargePointCertificate'],
    [2, other, 'InvalidChargePointCertificate'],
  ])('profile %i over %j is refused as %s', (profile, connection, expected) => {
    expect(securityRefusal(profile, 'CP-1', connection)?.type ?? null).toBe(expected);
  });

  it('gives a station with a password profile 1, one without 0, and asks passwords at 1 and 2 only', () => {
    expect(defaultSecurityProfile(true)).toBe(1);
    expect(defaultSecurityProfile(false)).toBe(0);
    expect([0, 1, 2, 3].map((profile) => needsPassword(profile as SecurityProfile))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('refuses a profile without the password it needs, and profile 0 with one', () => {
    expect(profilePasswordProblem(0, true)).toMatch(/takes no password/);
    expect(profilePasswordProblem(1, false)).toMatch(/needs a password/);
    expect(profilePasswordProblem(2, false)).toMatch(/needs a password/);
    expect(profilePasswordProblem(3, false)).toBeNull();
    expect(profilePasswordProblem(3, true)).toBeNull();
    expect(profilePasswordProblem(0, false)).toBeNull();
  });
});
