import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StationVariable } from '../../src/domain/device-model.js';
import { messageLimitsOf, partsOf } from '../../src/domain/message-limits.js';

function attribute(variable: string, variableInstance: string | null, value: string | null): StationVariable {
  return {
    component: 'DeviceDataCtrlr',
    componentInstance: null,
    evseId: null,
    connectorId: null,
    variable,
    variableInstance,
    attributeType: 'Actual',
    value,
    mutability: 'ReadOnly',
    dataType: 'integer',
    unit: null,
  };
}

describe('message limits a station reports (DeviceDataCtrlr)', () => {
  it('reads ItemsPerMessage and BytesPerMessage of the message, by instance or joined name', () => {
    const model = [
      attribute('ItemsPerMessage', 'GetVariables', '4'),
      attribute('ItemsPerMessage', 'SetVariables', '2'),
      attribute('BytesPerMessageSetVariables', null, '4096'),
      attribute('BytesPerMessage', 'GetReport', '100'),
    ];
    expect(messageLimitsOf(model, 'GetVariables')).toEqual({ items: 4 });
    expect(messageLimitsOf(model, 'SetVariables')).toEqual({ items: 2, bytes: 4096 });
  });

  it.each([[null], [''], ['0'], ['-3'], ['2.5'], ['many']])('a value of %j limits nothing', (value) => {
    expect(messageLimitsOf([attribute('ItemsPerMessage', 'GetVariables', value)], 'GetVariables')).toEqual(
      {},
    );
  });

  it('another component or attribute type limits nothing', () => {
    const other = { ...attribute('ItemsPerMessage', 'GetVariables', '4'), component: 'OCPPCommCtrlr' };
    const target = { ...attribute('ItemsPerMessage', 'GetVariables', '4'), attributeType: 'Target' };
    expect(messageLimitsOf([other, target], 'GetVariables')).toEqual({});
  });
});

describe('splitting items into messages', () => {
  const sizeOf = (part: readonly string[]) => part.reduce((sum, item) => sum + item.length, 10);

  it('keeps every item once, in order, in parts within the limits, as few as a greedy split gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 40 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        fc.option(fc.integer({ min: 10, max: 80 }), { nil: undefined }),
        (items, maxItems, maxBytes) => {
          const limits = { ...(maxItems && { items: maxItems }), ...(maxBytes && { bytes: maxBytes }) };
          const parts = partsOf(items, limits, sizeOf);
          expect(parts.flat()).toEqual(items);
          for (const [index, part] of parts.entries()) {
            expect(part.length).toBeGreaterThan(0);
            if (maxItems) expect(part.length).toBeLessThanOrEqual(maxItems);
            // Only an item too large for any message may break the byte limit, alone.
            if (maxBytes && sizeOf(part) > maxBytes) expect(part).toHaveLength(1);
            const next = parts[index + 1]?.[0];
            if (next !== undefined) {
              const joined = [...part, next];
              const fits =
                (!maxItems || joined.length <= maxItems) && (!maxBytes || sizeOf(joined) <= maxBytes);
              expect(fits).toBe(false);
            }
          }
        },
      ),
    );
  });

  it('no limits: one part; no items: no part', () => {
    expect(partsOf(['a', 'b', 'c'], {}, sizeOf)).toEqual([['a', 'b', 'c']]);
    expect(partsOf([], { items: 2 }, sizeOf)).toEqual([]);
  });
});
