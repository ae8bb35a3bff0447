import { ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { useApi } from '../api';
import { useErrorText } from './useErrorText';

/**
 * Stops a transaction from the UI: asks for confirmation, sends the station's remote stop
 * (RemoteStopTransaction for 1.6, RequestStopTransaction for 2.x) and says what it answered. The list updates when `transaction_stopped` arrives.
 */
export function useRemoteStop() {
  const { t } = useI18n();
  const api = useApi();
  const errorText = useErrorText();
  const stopping = ref<Record<number, boolean>>({});

  async function stop(tx: { transactionId: number; chargePointId: string }): Promise<void> {
    try {
      await ElMessageBox.confirm(
        t('dashboard.stopConfirm', { id: tx.transactionId, station: tx.chargePointId }),
        t('common.confirm'),
        { type: 'warning', confirmButtonText: t('dashboard.stop'), cancelButtonText: t('common.cancel') },
      );
    } catch {
      return;
    }
    stopping.value[tx.transactionId] = true;
    try {
      const answer = await api.stations.control(tx.chargePointId, 'remote-stop', {
        transactionId: tx.transactionId,
      });
      if (answer.status === 'Accepted') ElMessage.success(t('dashboard.stopSent'));
      else ElMessage.warning(t('dashboard.stopRejected'));
    } catch (error) {
      ElMessage.error(errorText(error));
    } finally {
      stopping.value[tx.transactionId] = false;
    }
  }

  return { stop, stopping };
}
