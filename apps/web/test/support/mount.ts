import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { Component } from 'vue';
import { createAppI18n, type Locale } from '../../src/i18n';
import { routes } from '../../src/router';

/** Mounts a component with the app's plugins: Pinia, vue-i18n, Element Plus and a memory router. */
export function mountWithApp<C extends Component>(
  component: C,
  options: ComponentMountingOptions<C> & { locale?: Locale; pinia?: Pinia } = {},
) {
  const pinia = options.pinia ?? createPinia();
  setActivePinia(pinia);
  const i18n = createAppI18n(options.locale ?? 'id');
  const router = createRouter({ history: createMemoryHistory(), routes });
  const wrapper = mount(component, {
    ...options,
    global: { plugins: [pinia, i18n, router, ElementPlus], ...options.global },
  } as ComponentMountingOptions<C>);
  return { wrapper, i18n, pinia, router };
}
