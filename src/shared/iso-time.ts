/** ISO-8601 timestamps with a zone, as clicks and the stats API's ranges give them. */
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms from an ISO-8601 string with a zone, or null if it is not one (or not a real date). */
export function parseIsoWithZone(s: string): number | null {
  const m = ISO_WITH_ZONE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', frac = '', zone = 'Z'] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  // Date.parse rolls Feb 30 over to March; a real date round-trips.
  if (day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  const ms = (frac + '000').slice(0, 3);
  const z = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec.padStart(2, '0')}.${ms}${z}`);
  return Number.isFinite(t) ? t : null;
}
