// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import ActionsColumn from '../../src/components/base/ActionsColumn.vue';
import DataTable from '../../src/components/base/DataTable.vue';
import { mountWithApp } from '../support/mount';

interface Row {
  name: string;
  builtIn: boolean;
}

describe('DataTable with ActionsColumn', () => {
  it('offers edit on every row and delete only where allowed, showing the slot instead', async () => {
    const edited: string[] = [];
    const removed: string[] = [];
    const rows: Row[] = [
      { name: 'viewer', builtIn: true },
      { name: 'night-shift', builtIn: false },
    ];
    const Page = defineComponent({
      setup: () => () =>
        h(DataTable<Row>, { data: rows, rowKey: 'name', 'data-test': 'rows' }, () =>
          h(
            ActionsColumn<Row>,
            {
              removable: (row: Row) => !row.builtIn,
              onEdit: (row: Row) => edited.push(row.name),
              onRemove: (row: Row) => removed.push(row.name),
            },
            () => h('span', { class: 'built-in' }, 'built in'),
          ),
        ),
    });
    const { wrapper } = mountWithApp(Page, { locale: 'en' });
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
});
