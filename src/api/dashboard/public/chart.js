/* global uPlot, document */
/**
 * The clicks-per-minute chart (uPlot). Each ad gets two series in the same colour: a solid line
 * over final minutes and a dashed one, with hollow points, over provisional minutes (windows
 * still open, counts may still grow). The dashed line starts at the last final point, so the
 * two join into one curve.
 */

const MINUTE_MS = 60_000;
export const COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];

/** Pixels for the y axis: about 7 px per character of the longest tick label, plus the ticks. */
function yAxisWidth(self, values) {
  const longest = Math.max(0, ...(values ?? []).map((v) => String(v).length));
  return Math.max(40, longest * 7 + 22);
}

/** uPlot's columns: minute starts (seconds), then per ad [final values, provisional values]. */
export function chartColumns(range, perAd) {
  const xs = [];
  for (let t = Math.floor(range.from / MINUTE_MS) * MINUTE_MS; t <= range.to; t += MINUTE_MS) xs.push(t);
  // Windows close together (one watermark for all ads): a minute up to the newest final bucket
  // of any ad is final even where this ad had no clicks.
  const finalStarts = perAd.flatMap((ad) => ad.buckets.filter((b) => b.final).map((b) => Date.parse(b.start)));
  const finalUntil = finalStarts.length > 0 ? Math.max(...finalStarts) : -Infinity;
  const columns = [xs.map((t) => t / 1000)];
  for (const ad of perAd) {
    const byStart = new Map(ad.buckets.map((b) => [Date.parse(b.start), b]));
    const clicks = (t) => byStart.get(t)?.clicks ?? 0; // buckets without clicks are left out by the API
    const isFinal = (t) => byStart.get(t)?.final ?? t <= finalUntil;
    columns.push(xs.map((t) => (isFinal(t) ? clicks(t) : null)));
    columns.push(
      xs.map((t, i) => (!isFinal(t) || (xs[i + 1] !== undefined && !isFinal(xs[i + 1])) ? clicks(t) : null)),
    );
  }
  return columns;
}

/** Marks only the provisional minutes, not the final point the dashed line starts from. */
function provisionalPoints(u, seriesIdx) {
  const own = u.data[seriesIdx];
  const final = u.data[seriesIdx - 1];
  return own.flatMap((v, i) => (v !== null && final[i] === null ? [i] : []));
}

const hhmm = (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(11, 16));

function options(ads, width) {
  const series = [{}];
  ads.forEach((ad, i) => {
    const stroke = COLORS[i % COLORS.length];
    series.push({ label: ad, stroke, width: 2, points: { show: false } });
    series.push({
      label: `${ad} (provisional)`,
      stroke,
      width: 2,
      dash: [6, 5],
      points: { show: true, size: 7, fill: '#fff', stroke, filter: provisionalPoints },
    });
  });
  return {
    width,
    height: 340,
    series,
    legend: { show: false }, // the table beside the chart is the legend
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'), // windows are UTC minutes: ticks on UTC minutes
    scales: { y: { range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.15))] } },
    axes: [
      { stroke: '#64748b', grid: { stroke: '#eef1f5' }, ticks: { stroke: '#e2e8f0' }, values: hhmm },
      // As wide as the longest label ("10,000" was clipped to "0,000" at a fixed 48 px).
      { stroke: '#64748b', grid: { stroke: '#eef1f5' }, ticks: { stroke: '#e2e8f0' }, size: yAxisWidth },
    ],
  };
}

/** Draws or updates the chart in `el`; a new set of ads rebuilds it, otherwise only the data changes. */
export function drawChart(el, previous, ads, columns) {
  if (previous && previous.ads.join('\n') === ads.join('\n')) {
    previous.plot.setData(columns);
    return previous;
  }
  previous?.plot.destroy();
  el.textContent = '';
  if (ads.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'No clicks in the last hour.';
    el.append(empty);
    return null;
  }
  return { ads, plot: new uPlot(options(ads, el.clientWidth), columns, el) };
}

export function resizeChart(el, current) {
  current?.plot.setSize({ width: el.clientWidth, height: 340 });
}
