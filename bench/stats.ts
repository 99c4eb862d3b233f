// stats.ts - the arithmetic and text layout of benchmark reports: median, geometric mean, ratios,
// time formatting and fixed-width tables. Pure functions, tested in spec/tools/bench.test.ts.
// Invariant: a ratio is OUR time divided by the peer's time (2.0 = we take twice as long; < 1 = we
// are faster); missing or non-positive inputs give undefined, never NaN or Infinity.

/** Median of a non-empty list (mean of the two middle values for an even count); undefined if empty. */
export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Geometric mean of the positive finite values; undefined if there are none. */
export function geomean(xs: ReadonlyArray<number | undefined>): number | undefined {
  const ok = xs.filter((x): x is number => x !== undefined && Number.isFinite(x) && x > 0);
  if (ok.length === 0) return undefined;
  return Math.exp(ok.reduce((a, x) => a + Math.log(x), 0) / ok.length);
}

/** ours / peer, or undefined when either is missing or not positive. */
export function ratio(ours: number | undefined, peer: number | undefined): number | undefined {
  if (ours === undefined || peer === undefined || !(ours > 0) || !(peer > 0)) return undefined;
  return ours / peer;
}

/** Milliseconds with 3 significant-ish digits: "0.012 ms", "1.50 ms", "35.2 ms", "1234 ms". */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms < 0.1) return `${ms.toFixed(4)} ms`;
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(0)} ms`;
}

/** "2.35x", "12.3x", "0.0044x" (two significant digits below 0.1), or "-" when undefined. */
export function formatRatio(r: number | undefined): string {
  if (r === undefined) return "-";
  return `${r < 0.1 ? r.toPrecision(2) : r < 10 ? r.toFixed(2) : r.toFixed(1)}x`;
}

/** Bytes as "48.0 KB" / "1.50 MB". */
export function formatBytes(n: number | undefined): string {
  if (n === undefined) return "-";
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/**
 * A fixed-width text table: first column left-aligned, the others right-aligned unless `left`
 * lists them; the last column (notes) is never padded.
 */
export function renderTable(header: string[], rows: string[][], left: number[] = [0]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        if (i === cells.length - 1) return c;
        return left.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]);
      })
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
