import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createApp, type App, type Component } from 'vue';
import { API_KEY, type Api } from '../../src/api';
import { createAppI18n, type Locale } from '../../src/i18n';
import { REALTIME_KEY, type Realtime } from '../../src/realtime';
import { routes } from '../../src/router';
import { fakeApi } from './fake-api';

/** What a test provides in place of main.ts: the Api (a fake that refuses every call by default) and the real-time client. */
export function provideServices(services: { api?: Api; realtime?: Realtime }) {
  return {
    install(app: App): void {
      app.provide(API_KEY, services.api ?? fakeApi());
      if (services.realtime) app.provide(REALTIME_KEY, services.realtime);
    },
  };
}

/**
 * A Pinia for store tests, installed in an app that provides `api` (stores inject it), and made
 * the active one.
 */
export function piniaWith(api: Api = fakeApi()): Pinia {
  const pinia = createPinia();
  // mount() is never called: the app only carries the provided Api into the stores' setup.
  const host: App = createApp({});
  host.use(provideServices({ api })).use(pinia);
  setActivePinia(pinia);
  return pinia;
}

/** Mounts a component with the app's plugins: Pinia, vue-i18n, Element Plus, a memory router and the provided services. */
export function mountWithApp<C extends Component>(
  component: C,
  options: ComponentMountingOptions<C> & {
    locale?: Locale;
    pinia?: Pinia;
    api?: Api;
    realtime?: Realtime;
  } = {},
) {
  const pinia = options.pinia ?? createPinia();
  setActivePinia(pinia);
  const i18n = createAppI18n(options.locale ?? 'id');
  const router = createRouter({ history: createMemoryHistory(), routes });
  const services = provideServices({ api: options.api, realtime: options.realtime });
  const wrapper = mount(component, {
    ...options,
    global: { plugins: [services, pinia, i18n, router, ElementPlus], ...options.global },
  } as ComponentMountingOptions<C>);
  return { wrapper, i18n, pinia, router };
}
