/**
 * JSON as a page shows it, compared by structure: object keys in any order, and `...` standing
 * for any value (`"..."` or a bare `...`), for the rest of a list (`[..., ...]`), or for any
 * text inside a string (`"ts: ..."`). Undefined when the page's text is not such JSON.
 */
const ANY = '@@docs-test-any@@';
const REST = '@@docs-test-rest@@';

function parseShape(expected: string): unknown {
  const text = expected
    .replace(/,\s*\.\.\.\s*(?=[\]}])/g, `,"${REST}"`)
    .replace(/\[\s*\.\.\.\s*\]/g, `["${REST}"]`)
    .replace(/(?<=[:,[]\s*)\.\.\.(?=\s*[,}\]])/g, `"${ANY}"`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matches(shape: unknown, actual: unknown): boolean {
  if (shape === ANY) return true;
  if (typeof shape === 'string' && shape.includes('...'))
    return typeof actual === 'string' && new RegExp(`^${shape.split('...').map(escape).join('.*')}$`, 's').test(actual);
  if (Array.isArray(shape)) {
    if (!Array.isArray(actual)) return false;
    const rest = shape.at(-1) === REST;
    const items = rest ? shape.slice(0, -1) : shape;
    if (rest ? actual.length < items.length : actual.length !== items.length) return false;
    return items.every((s, i) => matches(s, actual[i]));
  }
  if (shape !== null && typeof shape === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const entries = Object.entries(shape);
    const rest = entries.some(([, v]) => v === REST);
    const wanted = entries.filter(([, v]) => v !== REST);
    if (!rest && Object.keys(actual).length !== wanted.length) return false;
    return wanted.every(([k, v]) => k in actual && matches(v, (actual as Record<string, unknown>)[k]));
  }
  return shape === actual;
}

/** True or false when both sides are JSON; undefined when the page's text is not JSON. */
export function matchesJsonShape(expected: string, actual: string): boolean | undefined {
  const shape = parseShape(expected);
  if (shape === undefined) return undefined;
  try {
    return matches(shape, JSON.parse(actual) as unknown);
  } catch {
    return false;
  }
}
