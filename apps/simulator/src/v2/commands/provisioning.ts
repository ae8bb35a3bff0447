import type { v201 } from '@cimorings/ocpp';
import { afterAnswer, type V2CommandContext, type V2Register } from './types.js';

type Report = v201.ReportDataType;

/**
 * Block B, provisioning: GetVariables / SetVariables on the device model (B05, B06), the reports
 * GetBaseReport and GetReport answered by NotifyReport parts (B07, B08), Reset (B11, B12),
 * SetNetworkProfile (B09), and variable monitoring answered as a station without monitors.
 */
export function registerProvisioning(on: V2Register, ctx: V2CommandContext): void {
  const { model } = ctx;
  on('GetVariables', ({ getVariableData }) => ({
    getVariableResult: mapTuple(getVariableData, (item) => model.get(item)),
  }));
  on('SetVariables', ({ setVariableData }) => ({
    setVariableResult: mapTuple(setVariableData, (item) => model.set(item)),
  }));
  on('GetBaseReport', ({ requestId, reportBase }) => {
    sendReport(ctx, requestId, model.baseReport(reportBase));
    return { status: 'Accepted' };
  });
  on('GetReport', ({ requestId, componentVariable }) => {
    const data = model.customReport(componentVariable);
    if (data.length === 0) return { status: 'EmptyResultSet' };
    sendReport(ctx, requestId, data);
    return { status: 'Accepted' };
  });
  on('Reset', ({ type, evseId }) => {
    // Resetting one EVSE alone (B11.FR.09) is not simulated.
    if (evseId !== undefined) return { status: 'Rejected' };
    if (type === 'OnIdle' && ctx.runner.busy) {
      ctx.runner.onIdle(() => afterAnswer(ctx.log, () => ctx.lifecycle.reboot()));
      return { status: 'Scheduled' };
    }
    afterAnswer(ctx.log, async () => {
      await ctx.runner.stopAll('ImmediateReset');
      await ctx.lifecycle.reboot();
    });
    return { status: 'Accepted' };
  });
  on('SetNetworkProfile', ({ configurationSlot, connectionData }) => {
    const refusal = networkProfileRefusal(ctx, connectionData);
    if (refusal !== null) return { status: 'Rejected', statusInfo: { reasonCode: refusal } };
    ctx.networkProfiles.set(configurationSlot, connectionData);
    return { status: 'Accepted' };
  });
  // The station supports no monitors (supportsMonitoring false): a known variable is refused.
  on('SetVariableMonitoring', ({ setMonitoringData }) => ({
    setMonitoringResult: mapTuple(setMonitoringData, ({ component, variable, type, severity }) => {
      const { attributeStatus } = model.get({ component, variable });
      const status =
        attributeStatus === 'UnknownComponent' || attributeStatus === 'UnknownVariable'
          ? attributeStatus
          : 'Rejected';
      return { status, type, severity, component, variable };
    }),
  }));
  on('ClearVariableMonitoring', ({ id }) => ({
    clearMonitoringResult: mapTuple(id, (monitorId) => ({ status: 'NotFound', id: monitorId })),
  }));
  on('SetMonitoringBase', () => ({ status: 'Accepted' }));
  on('SetMonitoringLevel', () => ({ status: 'Accepted' }));
  on('GetMonitoringReport', () => ({ status: 'EmptyResultSet' }));
}

/**
 * Why a network profile is refused (A05.FR.02 to FR.04, OCTT TC_A_20 to TC_A_22): a lower
 * security profile than the current one, TLS (2, 3) without a CSMS root certificate to check the
 * server's, profile 3 without a certificate of its own; null when it is taken.
 */
function networkProfileRefusal(
  ctx: V2CommandContext,
  { securityProfile, ocppCsmsUrl }: v201.NetworkConnectionProfileType,
): string | null {
  if (securityProfile < ctx.model.integer('SecurityCtrlr', 'SecurityProfile')) return 'NoSecurityDowngrade';
  if (
    securityProfile >= 2 &&
    (!ocppCsmsUrl.startsWith('wss://') || !ctx.certificates.has('CSMSRootCertificate'))
  )
    return 'NoCSMSRootCertificate';
  if (securityProfile === 3 && ctx.certificates.client === null) return 'NoClientCertificate';
  return null;
}

/**
 * Sends `data` in NotifyReport parts of ItemsPerMessageGetReport items, `tbc` on all but the last
 * and `seqNo` from 0 (B07.FR.04 to FR.06), after the answer to the request went out.
 */
function sendReport(ctx: V2CommandContext, requestId: number, data: readonly Report[]): void {
  const size = Math.max(1, ctx.model.integer('DeviceDataCtrlr', 'ItemsPerMessageGetReport'));
  const parts = Math.max(1, Math.ceil(data.length / size));
  afterAnswer(ctx.log, async () => {
    const generatedAt = new Date().toISOString();
    for (let seqNo = 0; seqNo < parts; seqNo += 1) {
      const [first, ...rest] = data.slice(seqNo * size, (seqNo + 1) * size);
      await ctx.link.call('NotifyReport', {
        requestId,
        generatedAt,
        seqNo,
        ...(first ? { reportData: [first, ...rest] } : {}),
        ...(seqNo < parts - 1 ? { tbc: true } : {}),
      });
    }
    ctx.emit('reportSent', { requestId, parts, items: data.length });
  });
}

/** Maps a non-empty list to a non-empty list, as the schemas' `minItems: 1` arrays are typed. */
export function mapTuple<T, U>(items: readonly [T, ...T[]], map: (item: T) => U): [U, ...U[]] {
  const [first, ...rest] = items;
  return [map(first), ...rest.map(map)];
}
