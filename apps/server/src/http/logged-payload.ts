/**
 * How deep a logged payload may nest and still be shown as JSON. OCPP 1.6 messages nest a few
 * levels; a charge point may send thousands (JSON.parse copes, the answer's serializer then
 * overflows its stack: a 500 for every page holding that row).
 */
const MAX_SHOWN_DEPTH = 64;

/** Log payloads are stored as JSON text; an unreadable or absurdly nested frame is shown as its raw text. */
export function parsed(payload: string): unknown {
  try {
    const value: unknown = JSON.parse(payload);
    return depthOf(value) > MAX_SHOWN_DEPTH ? payload : value;
  } catch {
    return payload;
  }
}

/** The nesting depth of a parsed JSON value, walked without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_SHOWN_DEPTH) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}
