/**
 * Step 1 of a batch: the raw body to a list of untrusted items. A body that cannot be read
 * is a typed failure with its status (400, 413), never an exception.
 */
export type MediaType = 'json' | 'ndjson';

export type ParseOutcome = { ok: true; items: unknown[] } | { ok: false; status: 400 | 413; error: string };

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.slice(0, 200) : 'unparseable' };
  }
}

// A click is flat (depth 2 inside an array); 32 leaves room for nested extra fields that are
// ignored, and stops a 5 MB "[[[[..." from costing seconds of JSON.parse.
const MAX_DEPTH = 32;

/** The deepest nesting of [ and { outside strings, stopping early past the limit. */
export function nestingDepth(text: string, limit = MAX_DEPTH): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34)
      i = closingQuote(text, i); // skip strings with a native search: most bytes are in them
    else if (c === 91 || c === 123) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** Index of the quote that closes the string opening at `open` (or the end, if unterminated). */
function closingQuote(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}

const tooMany = (max: number) => ({ ok: false, status: 413, error: `more than ${max} clicks in one request` }) as const;

export function parseBody(body: string, media: MediaType, maxItems: number): ParseOutcome {
  return media === 'ndjson' ? parseNdjson(body, maxItems) : parseJson(body, maxItems);
}

function parseJson(body: string, maxItems: number): ParseOutcome {
  if (body.trim() === '') return { ok: false, status: 400, error: 'empty body' };
  if (nestingDepth(body) > MAX_DEPTH)
    return { ok: false, status: 400, error: `nested deeper than ${MAX_DEPTH} levels` };
  const parsed = tryJson(body);
  if (!parsed.ok) return { ok: false, status: 400, error: `malformed JSON: ${parsed.error}` };
  const { value } = parsed;
  if (Array.isArray(value)) return value.length > maxItems ? tooMany(maxItems) : { ok: true, items: value };
  if (typeof value === 'object' && value !== null) return { ok: true, items: [value] };
  return { ok: false, status: 400, error: 'body must be a click object or an array of clicks' };
}

function parseNdjson(body: string, maxItems: number): ParseOutcome {
  const lines = body.split('\n');
  const items: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    if (items.length === maxItems) return tooMany(maxItems);
    if (nestingDepth(line) > MAX_DEPTH)
      return { ok: false, status: 400, error: `line ${i + 1}: nested deeper than ${MAX_DEPTH} levels` };
    const parsed = tryJson(line);
    if (!parsed.ok) return { ok: false, status: 400, error: `malformed JSON on line ${i + 1}: ${parsed.error}` };
    items.push(parsed.value);
  }
  if (items.length === 0) return { ok: false, status: 400, error: 'empty body' };
  return { ok: true, items };
}
