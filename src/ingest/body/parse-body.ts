/**
 * Step 1 of a batch: the raw body to a list of untrusted items, in slices that yield to the
 * event loop (slices.ts). A JSON array is cut into its items' texts by one scan and each item
 * parsed on its own, so a 5 MB array never blocks in one JSON.parse; NDJSON is cut by lines.
 * A body that cannot be read is a typed failure with its status (400, 413), never an exception.
 */
import { SliceClock } from './slices.ts';

export type MediaType = 'json' | 'ndjson';

export type ParseOutcome = { ok: true; items: unknown[] } | { ok: false; status: 400 | 413; error: string };

type Failure = Extract<ParseOutcome, { ok: false }>;

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.slice(0, 200) : 'unparseable' };
  }
}

// A click is flat (depth 2 inside an array); 32 leaves room for nested extra fields that are
// ignored, and stops a 5 MB "[[[[..." from costing seconds of JSON.parse.
export const MAX_DEPTH = 32;

const tooDeep = (where = ''): Failure => ({
  ok: false,
  status: 400,
  error: `${where}nested deeper than ${MAX_DEPTH} levels`,
});

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
export function closingQuote(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}

/** `tooLarge` is the 413 text for more than `maxItems` items (it names the caller's limits). */
export async function parseBody(
  body: string,
  media: MediaType,
  maxItems: number,
  tooLarge = `more than ${maxItems} clicks in one request`,
): Promise<ParseOutcome> {
  const tooMany: Failure = { ok: false, status: 413, error: tooLarge };
  if (media === 'ndjson') return parseNdjson(body, maxItems, tooMany);
  const start = body.search(/\S/);
  if (start === -1) return { ok: false, status: 400, error: 'empty body' };
  if (body.charCodeAt(start) === 91) return parseArray(body, start, maxItems, tooMany);
  return parseOne(body);
}

/** A body that is not an array: one click object (or junk). */
function parseOne(body: string): ParseOutcome {
  if (nestingDepth(body) > MAX_DEPTH) return tooDeep();
  const parsed = tryJson(body);
  if (!parsed.ok) return { ok: false, status: 400, error: `malformed JSON: ${parsed.error}` };
  if (typeof parsed.value === 'object' && parsed.value !== null) return { ok: true, items: [parsed.value] };
  return { ok: false, status: 400, error: 'body must be a click object or an array of clicks' };
}

/**
 * A JSON array, item by item: the scan finds the commas and the closing bracket at the array's
 * own level (outside strings), and JSON.parse checks each item's text whole. The body is valid
 * JSON exactly when every item parses and only white space follows the closing bracket.
 */
async function parseArray(body: string, open: number, maxItems: number, tooMany: Failure): Promise<ParseOutcome> {
  const items: unknown[] = [];
  const clock = new SliceClock();
  let depth = 0;
  let itemStart = open + 1;
  const take = (end: number): Failure | undefined => {
    const text = body.slice(itemStart, end);
    // "[]" is an empty batch; any other blank item ("[1,,2]", "[1,]") is malformed.
    if (items.length === 0 && body.charCodeAt(end) === 93 && text.trim() === '') return undefined;
    if (items.length === maxItems) return tooMany;
    const parsed = tryJson(text);
    if (!parsed.ok)
      return { ok: false, status: 400, error: `malformed JSON in item ${items.length + 1}: ${parsed.error}` };
    items.push(parsed.value);
    itemStart = end + 1;
    return undefined;
  };
  for (let i = open + 1; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 34) i = closingQuote(body, i);
    else if (c === 91 || c === 123) {
      if (++depth >= MAX_DEPTH) return tooDeep();
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
    else if (depth === 0 && (c === 44 || c === 93 || c === 125)) {
      if (c === 125) return { ok: false, status: 400, error: 'malformed JSON: unbalanced brackets' };
      const failed = take(i);
      if (failed) return failed;
      if (c === 93) {
        if (body.slice(i + 1).trim() !== '')
          return { ok: false, status: 400, error: 'malformed JSON: text after the array' };
        return { ok: true, items };
      }
      if (clock.spent()) await clock.next();
    }
  }
  return { ok: false, status: 400, error: 'malformed JSON: the array does not end' };
}

async function parseNdjson(body: string, maxItems: number, tooMany: Failure): Promise<ParseOutcome> {
  const lines = body.split('\n');
  const items: unknown[] = [];
  const clock = new SliceClock();
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    if (items.length === maxItems) return tooMany;
    if (nestingDepth(line) > MAX_DEPTH) return tooDeep(`line ${i + 1}: `);
    const parsed = tryJson(line);
    if (!parsed.ok) return { ok: false, status: 400, error: `malformed JSON on line ${i + 1}: ${parsed.error}` };
    items.push(parsed.value);
    if (clock.spent()) await clock.next();
  }
  if (items.length === 0) return { ok: false, status: 400, error: 'empty body' };
  return { ok: true, items };
}
