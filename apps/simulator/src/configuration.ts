import type { v16 } from '@cimorings/ocpp';

type Kind = 'integer' | 'boolean' | 'measurands' | 'text';

interface KeyDefinition {
  kind: Kind;
  readonly: boolean;
  /** Never shown by GetConfiguration (the security whitepaper's write-only AuthorizationKey). */
  writeOnly?: boolean;
}

/** The measurands this simulator can sample, in the order it reports them. */
export const SUPPORTED_MEASURANDS: readonly v16.Measurand[] = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'SoC',
];

/**
 * The configuration keys this charge point knows: the OCPP 1.6 section 9 keys of the profiles it
 * implements (Core, Local Auth List Management, Reservation, Smart Charging) plus
 * `AuthorizationKey` and `SecurityProfile` from the OCPP 1.6 security whitepaper. Shared by all instances, so a
 * thousand simulated stations hold one table and only their own values.
 */
const DEFINITIONS: Readonly<Record<string, KeyDefinition>> = {
  AuthorizeRemoteTxRequests: { kind: 'boolean', readonly: false },
  ClockAlignedDataInterval: { kind: 'integer', readonly: false },
  ConnectionTimeOut: { kind: 'integer', readonly: false },
  ConnectorPhaseRotation: { kind: 'text', readonly: false },
  GetConfigurationMaxKeys: { kind: 'integer', readonly: true },
  HeartbeatInterval: { kind: 'integer', readonly: false },
  LocalAuthorizeOffline: { kind: 'boolean', readonly: false },
  LocalPreAuthorize: { kind: 'boolean', readonly: false },
  MeterValuesAlignedData: { kind: 'measurands', readonly: false },
  MeterValuesSampledData: { kind: 'measurands', readonly: false },
  MeterValueSampleInterval: { kind: 'integer', readonly: false },
  NumberOfConnectors: { kind: 'integer', readonly: true },
  ResetRetries: { kind: 'integer', readonly: false },
  StopTransactionOnEVSideDisconnect: { kind: 'boolean', readonly: false },
  StopTransactionOnInvalidId: { kind: 'boolean', readonly: false },
  StopTxnAlignedData: { kind: 'measurands', readonly: false },
  StopTxnSampledData: { kind: 'measurands', readonly: false },
  SupportedFeatureProfiles: { kind: 'text', readonly: true },
  TransactionMessageAttempts: { kind: 'integer', readonly: false },
  TransactionMessageRetryInterval: { kind: 'integer', readonly: false },
  UnlockConnectorOnEVSideDisconnect: { kind: 'boolean', readonly: false },
  LocalAuthListEnabled: { kind: 'boolean', readonly: false },
  LocalAuthListMaxLength: { kind: 'integer', readonly: true },
  SendLocalListMaxLength: { kind: 'integer', readonly: true },
  ReserveConnectorZeroSupported: { kind: 'boolean', readonly: true },
  ChargeProfileMaxStackLevel: { kind: 'integer', readonly: true },
  ChargingScheduleAllowedChargingRateUnit: { kind: 'text', readonly: true },
  ChargingScheduleMaxPeriods: { kind: 'integer', readonly: true },
  MaxChargingProfilesInstalled: { kind: 'integer', readonly: true },
  AuthorizationKey: { kind: 'text', readonly: false, writeOnly: true },
  SecurityProfile: { kind: 'integer', readonly: false },
};

/** Values that depend on the simulator's options. */
export interface ConfigurationSeed {
  connectors: number;
  heartbeatIntervalS: number;
  meterIntervalS: number;
  authorizationKey: string | undefined;
}

/** One charge point's configuration keys, read by GetConfiguration and written by ChangeConfiguration. */
export class Configuration {
  private readonly values: Map<string, string>;
  private measurands: readonly v16.Measurand[] = SUPPORTED_MEASURANDS;

  constructor(seed: ConfigurationSeed) {
    this.values = new Map([
      ['AuthorizeRemoteTxRequests', 'true'],
      ['ClockAlignedDataInterval', '0'],
      ['ConnectionTimeOut', '60'],
      ['ConnectorPhaseRotation', 'NotApplicable'],
      ['GetConfigurationMaxKeys', '50'],
      ['HeartbeatInterval', String(seed.heartbeatIntervalS)],
      ['LocalAuthorizeOffline', 'false'],
      ['LocalPreAuthorize', 'false'],
      ['MeterValuesAlignedData', 'Energy.Active.Import.Register'],
      ['MeterValuesSampledData', SUPPORTED_MEASURANDS.join(',')],
      ['MeterValueSampleInterval', String(seed.meterIntervalS)],
      ['NumberOfConnectors', String(seed.connectors)],
      ['ResetRetries', '1'],
      ['StopTransactionOnEVSideDisconnect', 'true'],
      ['StopTransactionOnInvalidId', 'true'],
      ['StopTxnAlignedData', ''],
      ['StopTxnSampledData', SUPPORTED_MEASURANDS.join(',')],
      [
        'SupportedFeatureProfiles',
        'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
      ],
      ['TransactionMessageAttempts', '3'],
      ['TransactionMessageRetryInterval', '60'],
      ['UnlockConnectorOnEVSideDisconnect', 'true'],
      ['LocalAuthListEnabled', 'true'],
      ['LocalAuthListMaxLength', '100'],
      ['SendLocalListMaxLength', '100'],
      ['ReserveConnectorZeroSupported', 'false'],
      ['ChargeProfileMaxStackLevel', '10'],
      ['ChargingScheduleAllowedChargingRateUnit', 'Current,Power'],
      ['ChargingScheduleMaxPeriods', '24'],
      ['MaxChargingProfilesInstalled', '10'],
      ['SecurityProfile', '0'],
    ]);
    if (seed.authorizationKey !== undefined) this.values.set('AuthorizationKey', seed.authorizationKey);
  }

  /** GetConfiguration (OCPP 1.6 section 5.8): all keys when none are named, unknown names in `unknownKey`. */
  read(keys: readonly string[] | undefined): {
    configurationKey: v16.ConfigurationEntry[];
    unknownKey: string[];
  } {
    const names = keys && keys.length > 0 ? keys : Object.keys(DEFINITIONS);
    const configurationKey: v16.ConfigurationEntry[] = [];
    const unknownKey: string[] = [];
    for (const key of names) {
      const definition = DEFINITIONS[key];
      if (!definition) {
        unknownKey.push(key);
      } else if (definition.writeOnly) {
        configurationKey.push({ key, readonly: definition.readonly });
      } else if (this.values.has(key)) {
        configurationKey.push({ key, readonly: definition.readonly, value: this.values.get(key) ?? '' });
      }
    }
    return { configurationKey, unknownKey };
  }

  /**
   * ChangeConfiguration (OCPP 1.6 section 5.3): `NotSupported` for an unknown key, `Rejected` for a
   * read-only key or a value of the wrong form, otherwise stores it and answers `Accepted`.
   */
  change(key: string, value: string): v16.ConfigurationStatus {
    const definition = DEFINITIONS[key];
    if (!definition) return 'NotSupported';
    if (definition.readonly || !isValid(definition.kind, value)) return 'Rejected';
    // Security whitepaper §2.4: a profile may only go up, to 3 at most.
    if (key === 'SecurityProfile' && (Number(value) > 3 || Number(value) < this.integer(key)))
      return 'Rejected';
    this.values.set(key, value);
    if (key === 'MeterValuesSampledData') this.measurands = parseMeasurands(value);
    return 'Accepted';
  }

  /** The value of a key that holds a whole number (0 when unset). */
  integer(key: string): number {
    return Number(this.values.get(key) ?? 0);
  }

  /** The value of a key that holds `true` or `false`. */
  flag(key: string): boolean {
    return this.values.get(key)?.toLowerCase() === 'true';
  }

  /** The value of a text key, `undefined` when unset. */
  text(key: string): string | undefined {
    return this.values.get(key);
  }

  /** The measurands periodic samples carry (MeterValuesSampledData), parsed once per change. */
  get sampledMeasurands(): readonly v16.Measurand[] {
    return this.measurands;
  }
}

function isValid(kind: Kind, value: string): boolean {
  switch (kind) {
    case 'integer':
      return /^\d{1,9}$/.test(value);
    case 'boolean':
      return /^(true|false)$/i.test(value);
    case 'measurands':
      return value
        .split(',')
        .every((m) => m.trim() === '' || SUPPORTED_MEASURANDS.includes(m.trim() as v16.Measurand));
    case 'text':
      return value.length > 0;
  }
}

function parseMeasurands(value: string): readonly v16.Measurand[] {
  const wanted = new Set(value.split(',').map((m) => m.trim()));
  return SUPPORTED_MEASURANDS.filter((m) => wanted.has(m));
}
