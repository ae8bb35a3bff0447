import { createApp, watch } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus, { ElNotification } from 'element-plus';
import 'element-plus/dist/index.css';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import App from './App.vue';
import { API_KEY, apiFor } from './api';
import { formatEnergy } from './format';
import { createAppI18n, rememberLocale } from './i18n';
import { createRealtime, REALTIME_KEY, type Toast } from './realtime';
import { createAppRouter } from './router';
import { useAuthStore } from './stores/auth';

const app = createApp(App);
const pinia = createPinia();
const i18n = createAppI18n();
const router = createAppRouter();
app.use(pinia).use(i18n).use(router).use(ElementPlus);
rememberLocale(i18n.global.locale.value);

// The Api reads the session from the auth store, which needs the Api: provide it before the
// first store is made (stores inject it in their setup), and read the store only on each call.
app.provide(
  API_KEY,
  apiFor({
    token: () => useAuthStore(pinia).token,
    onUnauthorized: () => useAuthStore(pinia).logout('expired'),
  }),
);
const auth = useAuthStore();

/** The toasts of the customer's document: "Transaksi dimulai" / "Transaksi selesai". */
function notify(toast: Toast): void {
  const { t, locale } = i18n.global;
  if (toast.kind === 'transaction_started') {
    const { chargePointId, connectorId, idTag } = toast.payload;
    ElNotification({
      type: 'success',
      title: t('toast.started'),
      message: t('toast.startedBody', { station: chargePointId, connector: connectorId, idTag }),
      duration: 4000,
      customClass: 'toast-transaction-started',
    });
  } else {
    const { chargePointId, reason } = toast.payload;
    const energy = formatEnergy(toast.energyWh, locale.value);
    ElNotification({
      type: 'info',
      title: t('toast.stopped'),
      message: t('toast.stoppedBody', { station: chargePointId, energy, reason }),
      duration: 4000,
      customClass: 'toast-transaction-stopped',
    });
  }
}

const realtime = createRealtime({ url: window.location.origin, notify });
app.provide(REALTIME_KEY, realtime);

auth.onLogout(() => {
  realtime.stop();
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.push({ name: 'login', query: { redirect: current.fullPath } });
});

if (auth.restore()) void auth.refreshUser().catch(() => undefined);
watch(
  () => auth.loggedIn,
  (loggedIn) => (loggedIn ? realtime.start() : realtime.stop()),
  { immediate: true },
);

app.mount('#app');
