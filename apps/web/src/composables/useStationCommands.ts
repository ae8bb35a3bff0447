import { ref, toValue, type MaybeRefOrGetter } from 'vue';
import { useApi } from '../api';
import type { CommandAnswer, LocalListUpdate, SendMessage, SendOperation } from '../commands';
import { useErrorText } from './useErrorText';

/**
 * Sends commands to one station and keeps what came back, newest first, for the answers list.
 * `settled` runs after each command (the message log reads the exchange again).
 */
export function useStationCommands(chargePointId: MaybeRefOrGetter<string>, settled: () => void) {
  const api = useApi();
  const errorText = useErrorText();
  const answers = ref<CommandAnswer[]>([]);
  /** The action being sent, or null. */
  const busy = ref<string | null>(null);
  let nextAnswerId = 1;

  async function record<R extends object>(
    action: string,
    payload: object,
    call: () => Promise<R>,
  ): Promise<R | null> {
    answers.value.unshift({
      id: nextAnswerId++,
      action,
      payload,
      at: new Date().toISOString(),
      answer: null,
      error: null,
    });
    const item = answers.value[0] as CommandAnswer;
    busy.value = action;
    try {
      const answer = await call();
      item.answer = answer;
      return answer;
    } catch (error) {
      item.error = errorText(error);
      return null;
    } finally {
      busy.value = null;
      settled();
    }
  }

  /** A message of the station's own OCPP version, by name (TriggerMessage, ClearCache, ...). */
  const send: SendMessage = (action, payload) =>
    record(action, payload, () => api.stations.message(toValue(chargePointId), action, payload));

  /** An operation every station offers, whatever its version; recorded under the operation's name. */
  const control: SendOperation = (operation, body) =>
    record(operation, body, () => api.stations.control(toValue(chargePointId), operation, body));

  /** SendLocalList from the id tag table. */
  function sendLocalList(updateType: LocalListUpdate): void {
    void record('SendLocalList', { updateType }, () =>
      api.stations.sendLocalList(toValue(chargePointId), updateType),
    );
  }

  return { answers, busy, send, control, sendLocalList };
}
