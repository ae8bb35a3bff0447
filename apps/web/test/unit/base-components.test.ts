// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, resolveComponent, type ComputedRef } from 'vue';
import ActionsColumn from '../../src/components/base/ActionsColumn.vue';
import DataTable from '../../src/components/base/DataTable.vue';
import TagsColumn from '../../src/components/base/TagsColumn.vue';
import { useTranslatedOptions } from '../../src/composables/useTranslatedOptions';
import { useAuthStore } from '../../src/stores/auth';
import { fakeApi, userWith } from '../support/fake-api';
import { mountWithApp, piniaWith } from '../support/mount';

interface Row {
  name: string;
  builtIn: boolean;
}

const rows: Row[] = [
  { name: 'viewer', builtIn: true },
  { name: 'night-shift', builtIn: false },
];

/** A Pinia whose user is logged in with `permissions`. */
async function loggedInWith(permissions: string[]) {
  const api = fakeApi({
    auth: { login: async () => ({ token: 'jwt-1', expiresIn: 3600, user: userWith(permissions) }) },
  });
  const pinia = piniaWith(api);
  await useAuthStore().login('tester', 'secret-pass');
  return pinia;
}

describe('DataTable with ActionsColumn', () => {
  it('offers edit on every row and delete only where allowed, showing the slot instead', async () => {
    const edited: string[] = [];
    const removed: string[] = [];
    const Page = defineComponent({
      setup: () => () =>
        h(DataTable<Row>, { data: rows, rowKey: 'name', 'data-test': 'rows' }, () =>
          h(
            ActionsColumn<Row>,
            {
              permission: 'roles.manage',
              removable: (row: Row) => !row.builtIn,
              onEdit: (row: Row) => edited.push(row.name),
              onRemove: (row: Row) => removed.push(row.name),
            },
            () => h('span', { class: 'built-in' }, 'built in'),
          ),
        ),
    });
    const { wrapper } = mountWithApp(Page, { locale: 'en', pinia: await loggedInWith(['roles.manage']) });
    await nextTick();
    await nextTick();
    const table = wrapper.get('[data-test=rows]');
    const buttons = table.findAll('tbody button');
    expect(buttons.map((b) => b.text())).toEqual(['Edit', 'Edit', 'Delete']);
    expect(table.findAll('tbody .built-in')).toHaveLength(1);
    await buttons[0]!.trigger('click');
    await buttons[2]!.trigger('click');
    expect(edited).toEqual(['viewer']);
    expect(removed).toEqual(['night-shift']);
  });

  it('is not there for a user without the permission', async () => {
    const Page = defineComponent({
      setup: () => () =>
        h(DataTable<Row>, { data: rows, rowKey: 'name', 'data-test': 'rows' }, () => [
          h(resolveComponent('el-table-column'), { prop: 'name', label: 'Name' }),
          h(ActionsColumn<Row>, { permission: 'roles.manage' }),
        ]),
    });
    const { wrapper } = mountWithApp(Page, { locale: 'en', pinia: await loggedInWith(['roles.view']) });
    await nextTick();
    await nextTick();
    const table = wrapper.get('[data-test=rows]');
    expect(table.text()).toContain('night-shift');
    expect(table.findAll('tbody button')).toHaveLength(0);
    expect(table.text()).not.toContain('Actions');
  });
});

describe('TagsColumn', () => {
  it("shows each row's names as tags", async () => {
    const Page = defineComponent({
      setup: () => () =>
        h(
          DataTable<{ name: string; roles: string[] }>,
          { data: [{ name: 'ana', roles: ['admin', 'viewer'] }] },
          () => h(TagsColumn, { label: 'Roles', prop: 'roles', minWidth: '150' }),
        ),
    });
    const { wrapper } = mountWithApp(Page, { locale: 'en' });
    await nextTick();
    await nextTick();
    expect(wrapper.findAll('tbody .el-tag').map((tag) => tag.text())).toEqual(['admin', 'viewer']);
  });
});

describe('useTranslatedOptions', () => {
  it('labels each value in the language of the moment', async () => {
    let options!: ComputedRef<{ value: string; label: string }[]>;
    const Page = defineComponent({
      setup() {
        options = useTranslatedOptions(['Accepted', 'Blocked'], (s) => `idTags.statuses.${s}`);
        return () => h('div');
      },
    });
    const { i18n } = mountWithApp(Page, { locale: 'en' });
    expect(options.value).toEqual([
      { value: 'Accepted', label: 'Accepted' },
      { value: 'Blocked', label: 'Blocked' },
    ]);
    i18n.global.locale.value = 'id';
    await nextTick();
    expect(options.value.map((o) => o.label)).toEqual(['Diterima', 'Diblokir']);
  });
});
