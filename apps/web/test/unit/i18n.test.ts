import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en';
import { id } from '../../src/i18n/id';

/** Every message path of a nested messages object, e.g. `stations.title`. */
function keysOf(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keysOf(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('messages', () => {
  it('has the same keys in Indonesian and English, each with a text', () => {
    const idKeys = keysOf(id).sort();
    expect(keysOf(en).sort()).toEqual(idKeys);
    expect(idKeys.length).toBeGreaterThan(300);
    for (const key of idKeys) {
      const path = key.split('.');
      for (const messages of [id, en]) {
        const text = path.reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
        expect(typeof text === 'string' && text.length > 0, `${key} is a text`).toBe(true);
      }
    }
  });
});
