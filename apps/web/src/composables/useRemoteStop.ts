import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useApi } from '../api';
import { useFeedback } from './useFeedback';

/**
 * Stops a transaction from the UI: asks for confirmation, sends the station's remote stop
 * (RemoteStopTransaction for 1.6, RequestStopTransaction for 2.x) and says what it answered. The list updates when `transaction_stopped` arrives.
 */
export function useRemoteStop() {
  const { t } = useI18n();
  const api = useApi();
  const { attempt, confirm } = useFeedback();
  const stopping = ref<Record<number, boolean>>({});

  async function stop(tx: { transactionId: number; chargePointId: string }): Promise<void> {
    const question = t('dashboard.stopConfirm', { id: tx.transactionId, station: tx.chargePointId });
    if (!(await confirm(question, t('dashboard.stop')))) return;
    stopping.value[tx.transactionId] = true;
    await attempt(
      () => api.stations.control(tx.chargePointId, 'remote-stop', { transactionId: tx.transactionId }),
      {
        success: (answer) =>
          answer.status === 'Accepted' ? t('dashboard.stopSent') : { warning: t('dashboard.stopRejected') },
      },
    );
    stopping.value[tx.transactionId] = false;
  }

  return { stop, stopping };
}
