import type { v201 } from '@cimorings/ocpp';
import type { ResolvedOptions } from '../options.js';

/** One variable of the simulated device model with its Actual attribute. */
export interface VariableSpec {
  component: string;
  /** The EVSE the component belongs to (EVSE and Connector components). */
  evseId?: number;
  /** The connector of that EVSE (Connector components). */
  connectorId?: number;
  variable: string;
  value: string;
  mutability: v201.MutabilityEnumType;
  dataType: v201.DataEnumType;
  unit?: string;
  /** Allowed values of an OptionList, or the members of a MemberList / SequenceList, comma separated. */
  valuesList?: string;
}

/** What the catalogue needs to know about the station it describes. */
export interface CatalogueSettings {
  /** Maximum power of each EVSE in W, EVSE 1 first. */
  evsePowerW: readonly number[];
  heartbeatIntervalS: number;
  txUpdatedIntervalS: number;
  basicAuthPassword: string | undefined;
  identity: string;
  vendor: string;
  model: string;
  serialNumber: string;
  firmwareVersion: string;
}

/** The catalogue settings of a station with these options: TxUpdatedInterval from `meterIntervalMs`, in whole seconds. */
export function catalogueSettings(options: ResolvedOptions): CatalogueSettings {
  return {
    evsePowerW: options.powerKw.map((kw) => kw * 1000),
    heartbeatIntervalS: 300,
    txUpdatedIntervalS: Math.max(1, Math.round(options.meterIntervalMs / 1000)),
    basicAuthPassword: options.password,
    identity: options.id,
    vendor: options.boot.chargePointVendor,
    model: options.boot.chargePointModel,
    serialNumber: options.boot.chargePointSerialNumber,
    firmwareVersion: options.boot.firmwareVersion,
  };
}

const MEASURANDS =
  'Energy.Active.Import.Register,Power.Active.Import,SoC,Current.Import,Voltage,Current.Offered';

type Row = Omit<VariableSpec, 'component' | 'evseId' | 'connectorId'>;
const ro = (variable: string, value: string, dataType: v201.DataEnumType = 'string', unit?: string): Row => ({
  variable,
  value,
  mutability: 'ReadOnly',
  dataType,
  ...(unit === undefined ? {} : { unit }),
});
const rw = (variable: string, value: string, dataType: v201.DataEnumType = 'string', unit?: string): Row => ({
  ...ro(variable, value, dataType, unit),
  mutability: 'ReadWrite',
});
const list = (variable: string, value: string, values: string, dataType: v201.DataEnumType): Row => ({
  ...rw(variable, value, dataType),
  valuesList: values,
});
const bool = (variable: string, value: boolean, mutability: v201.MutabilityEnumType = 'ReadWrite'): Row => ({
  variable,
  value: String(value),
  mutability,
  dataType: 'boolean',
});

/**
 * The device model of a simulated OCPP 2.0.1 charging station: the controller components and
 * variables of OCPP 2.0.1 Part 2 Appendices ("Referenced Components and Variables") that a small
 * AC station implements, one EVSE component per EVSE and one Connector component per plug.
 */
export function deviceModelCatalogue(settings: CatalogueSettings): VariableSpec[] {
  const components: Record<string, Row[]> = {
    ChargingStation: [
      ro('Model', settings.model),
      ro('VendorName', settings.vendor),
      ro('SerialNumber', settings.serialNumber),
      ro('AvailabilityState', 'Available', 'OptionList'),
      bool('Available', true, 'ReadOnly'),
      ro('SupplyPhases', '3', 'integer'),
    ],
    FirmwareCtrlr: [ro('FirmwareVersion', settings.firmwareVersion)],
    ClockCtrlr: [
      rw('DateTime', new Date().toISOString(), 'dateTime'),
      ro('TimeSource', 'Heartbeat', 'SequenceList'),
    ],
    OCPPCommCtrlr: [
      rw('HeartbeatInterval', String(settings.heartbeatIntervalS), 'integer', 's'),
      rw('OfflineThreshold', '60', 'integer', 's'),
      rw('MessageTimeout', '30', 'integer', 's'),
      rw('MessageAttempts', '3', 'integer'),
      rw('MessageAttemptInterval', '10', 'integer', 's'),
      rw('ResetRetries', '2', 'integer'),
      rw('WebSocketPingInterval', '30', 'integer', 's'),
      rw('NetworkConfigurationPriority', '0', 'SequenceList'),
      rw('NetworkProfileConnectionAttempts', '3', 'integer'),
      bool('UnlockOnEVSideDisconnect', true),
      bool('FileTransferProtocols', false, 'ReadOnly'),
    ],
    SecurityCtrlr: [
      rw('SecurityProfile', '1', 'integer'),
      rw('Identity', settings.identity),
      rw('OrganizationName', 'CIMORINGS'),
      rw('CertificateEntries', '0', 'integer'),
      { ...rw('BasicAuthPassword', settings.basicAuthPassword ?? ''), mutability: 'WriteOnly' },
    ],
    DeviceDataCtrlr: [
      ro('ItemsPerMessageGetReport', '20', 'integer'),
      ro('ItemsPerMessageGetVariables', '50', 'integer'),
      ro('ItemsPerMessageSetVariables', '50', 'integer'),
      ro('BytesPerMessageGetReport', '65000', 'integer'),
    ],
    AuthCtrlr: [
      bool('Enabled', true),
      bool('AuthorizeRemoteStart', false),
      bool('LocalAuthorizeOffline', true),
      bool('LocalPreAuthorize', false),
      bool('OfflineTxForUnknownIdEnabled', true),
      rw('MasterPassGroupId', ''),
    ],
    AuthCacheCtrlr: [bool('Enabled', true), rw('LifeTime', '86400', 'integer', 's')],
    LocalAuthListCtrlr: [
      bool('Enabled', true),
      ro('Entries', '0', 'integer'),
      ro('ItemsPerMessage', '100', 'integer'),
      ro('BytesPerMessage', '65000', 'integer'),
    ],
    TxCtrlr: [
      rw('EVConnectionTimeOut', '60', 'integer', 's'),
      bool('StopTxOnEVSideDisconnect', true),
      bool('StopTxOnInvalidId', true),
      list(
        'TxStartPoint',
        'PowerPathClosed',
        'ParkingBayOccupancy,EVConnected,Authorized,PowerPathClosed',
        'MemberList',
      ),
      list(
        'TxStopPoint',
        'EVConnected,Authorized',
        'ParkingBayOccupancy,EVConnected,Authorized,PowerPathClosed',
        'MemberList',
      ),
    ],
    SampledDataCtrlr: [
      bool('Enabled', true),
      rw('TxUpdatedInterval', String(settings.txUpdatedIntervalS), 'integer', 's'),
      list('TxStartedMeasurands', 'Energy.Active.Import.Register', MEASURANDS, 'MemberList'),
      list(
        'TxUpdatedMeasurands',
        'Energy.Active.Import.Register,Power.Active.Import,SoC',
        MEASURANDS,
        'MemberList',
      ),
      list('TxEndedMeasurands', 'Energy.Active.Import.Register', MEASURANDS, 'MemberList'),
      rw('TxEndedInterval', '0', 'integer', 's'),
    ],
    AlignedDataCtrlr: [
      bool('Enabled', false),
      rw('Interval', '900', 'integer', 's'),
      list('Measurands', 'Energy.Active.Import.Register', MEASURANDS, 'MemberList'),
    ],
    ReservationCtrlr: [bool('Enabled', true), bool('NonEvseSpecific', true)],
    SmartChargingCtrlr: [
      bool('Enabled', true),
      ro('ProfileStackLevel', '8', 'integer'),
      list('RateUnit', 'A,W', 'A,W', 'MemberList'),
      ro('PeriodsPerSchedule', '24', 'integer'),
      ro('Entries', '0', 'integer'),
    ],
  };
  const specs: VariableSpec[] = Object.entries(components).flatMap(([component, rows]) =>
    rows.map((row) => ({ component, ...row })),
  );
  settings.evsePowerW.forEach((powerW, index) => {
    const evseId = index + 1;
    specs.push(
      { component: 'EVSE', evseId, ...ro('AvailabilityState', 'Available', 'OptionList') },
      { component: 'EVSE', evseId, ...bool('Available', true, 'ReadOnly') },
      { component: 'EVSE', evseId, ...ro('Power', String(powerW), 'decimal', 'W') },
      { component: 'EVSE', evseId, ...ro('SupplyPhases', '3', 'integer') },
      {
        component: 'Connector',
        evseId,
        connectorId: 1,
        ...ro('AvailabilityState', 'Available', 'OptionList'),
      },
      { component: 'Connector', evseId, connectorId: 1, ...ro('ConnectorType', 'cType2', 'string') },
    );
  });
  return specs;
}
