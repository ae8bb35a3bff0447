import { shallowReactive } from 'vue';

/** An add-or-edit dialog's state. */
export interface EditDialog<T> {
  /** Bound to the dialog's v-model. */
  open: boolean;
  /** What the dialog changes; null when it adds a new one. */
  item: T | null;
  /** Opens the dialog on `item` (null: to add one). */
  show: (item: T | null) => void;
}

/** The state of a dialog that adds an item or changes the one it was opened on. */
export function useEditDialog<T>(): EditDialog<T> {
  const state: EditDialog<T> = shallowReactive({
    open: false,
    item: null,
    show(item: T | null): void {
      state.item = item;
      state.open = true;
    },
  });
  return state;
}
