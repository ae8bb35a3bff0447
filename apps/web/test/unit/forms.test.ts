// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import FormDialog from '../../src/components/base/FormDialog.vue';
import TextField from '../../src/components/base/TextField.vue';
import PhoneField from '../../src/components/reservations/PhoneField.vue';
import { useEditDialog } from '../../src/composables/useEditDialog';
import { useFeedback } from '../../src/composables/useFeedback';
import { useFormDialog } from '../../src/composables/useFormDialog';
import ProfileView from '../../src/views/ProfileView.vue';
import { ApiError } from '../../src/api';
import { fakeApi } from '../support/fake-api';
import { mountWithApp } from '../support/mount';

/** Lets Element Plus' transitions and the awaited task settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await nextTick();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

const body = () => document.body;
const button = (text: string) =>
  [...body().querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text);

afterEach(() => {
  document.body.innerHTML = '';
});

describe('useFormDialog bound to FormDialog', () => {
  it('sends only a valid form, Enter included, then says so and closes', async () => {
    const sent: string[] = [];
    const open = ref(true);
    const Dialog = defineComponent({
      setup() {
        const { form, dialog } = useFormDialog(
          open,
          () => ({ name: '' }),
          async (site) => {
            sent.push(site.name);
          },
          { success: () => 'saved', valid: (site) => site.name.trim() !== '' },
        );
        return () =>
          h(FormDialog, { ...dialog.value, title: 'Site', width: '400px', submitTest: 'save' }, () =>
            h(TextField, {
              label: 'stations.siteName',
              modelValue: form.name,
              'onUpdate:modelValue': (name: string) => (form.name = name),
              'data-test': 'name',
            }),
          );
      },
    });
    mountWithApp(Dialog, { locale: 'en', attachTo: document.body });
    await settle();
    const save = () => body().querySelector<HTMLButtonElement>('[data-test=save]')!;
    expect(save().disabled).toBe(true);
    body()
      .querySelector('form')!
      .dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(sent).toEqual([]);
    expect(open.value).toBe(true);

    const input = body().querySelector<HTMLInputElement>('[data-test=name]')!;
    input.value = 'Depot';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(save().disabled).toBe(false);
    save().click();
    await settle();
    expect(sent).toEqual(['Depot']);
    expect(open.value).toBe(false);
  });
});

describe('form fields', () => {
  it('show their label from its i18n key, and mark a phone number that is not E.164 as an error', async () => {
    const Form = defineComponent({
      setup: () => () =>
        h('form', [
          h(TextField, { label: 'stations.siteName', modelValue: '', 'data-test': 'name' }),
          h(PhoneField, { label: 'reservations.phoneNumber', modelValue: '0812', 'data-test': 'phone' }),
        ]),
    });
    const { wrapper } = mountWithApp(Form, { locale: 'en' });
    await settle();
    const labels = wrapper.findAll('label').map((label) => label.text());
    expect(labels).toEqual(['Site name', 'Phone number']);
    expect(wrapper.find('input[data-test=phone]').exists()).toBe(true);
    expect(wrapper.findAll('.el-form-item').map((item) => item.classes('is-error'))).toEqual([false, true]);
  });
});

describe('useFeedback attempt with a confirmation', () => {
  it('runs the step only once the user confirmed, with the texts given', async () => {
    const ran: string[] = [];
    let attempt!: ReturnType<typeof useFeedback>['attempt'];
    const Page = defineComponent({
      setup() {
        ({ attempt } = useFeedback());
        return () => h('div');
      },
    });
    // The message box settles its promise once its leave transition ended: a real transition.
    mountWithApp(Page, { locale: 'en', global: { stubs: { transition: false } } });
    const task = async () => {
      ran.push('ran');
    };

    const declined = attempt(task, { confirm: { message: 'Cancel #7?', cancelButtonText: 'Keep it' } });
    await settle();
    expect(body().textContent).toContain('Cancel #7?');
    button('Keep it')!.click();

    expect(await declined).toBe(false);
    expect(ran).toEqual([]);

    const confirmed = attempt(task, { confirm: 'Delete CS001?' });
    await settle();
    button('Delete')!.click();
    expect(await confirmed).toBe(true);
    expect(ran).toEqual(['ran']);
  });
});

describe('useEditDialog', () => {
  it('opens on the item to change, or on nothing to add one', () => {
    const dialog = useEditDialog<{ name: string }>();
    expect(dialog.open).toBe(false);
    dialog.show({ name: 'viewer' });
    expect(dialog).toMatchObject({ open: true, item: { name: 'viewer' } });
    dialog.open = false;
    dialog.show(null);
    expect(dialog).toMatchObject({ open: true, item: null });
  });
});

describe('ProfileView password change', () => {
  it('sends nothing, Enter included, until the new password is repeated', async () => {
    const sent: string[][] = [];
    const api = fakeApi({
      auth: {
        changePassword: async (current: string, next: string) => {
          sent.push([current, next]);
          throw new ApiError(401, 'UNAUTHORIZED', 'wrong');
        },
      },
    });
    const { wrapper } = mountWithApp(ProfileView, { locale: 'en', api, attachTo: document.body });
    const type = async (test: string, value: string) =>
      wrapper.get(`input[data-test=${test}]`).setValue(value);
    await type('current-password', 'old-secret');
    await type('new-password', 'a-new-secret');
    const button = wrapper.get('[data-test=change-password]');
    expect(button.attributes('disabled')).toBeDefined();
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(sent).toEqual([]);

    await type('repeat-password', 'a-new-secret');
    expect(button.attributes('disabled')).toBeUndefined();
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(sent).toEqual([['old-secret', 'a-new-secret']]);
  });
});
