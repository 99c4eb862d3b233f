// svg.ts - a self-contained SVG bar chart of the benchmark ratios (our time / peer time) per program,
// one bar per peer, on a log2 axis with a line at 1x, so "faster than the peer" reads left of it.
// Invariant: output depends only on the input (no dates inside), text is XML-escaped, and missing
// ratios leave a gap labelled "n/a".

export interface ChartRow {
  program: string;
  /** peer name → ratio (undefined: not measured). */
  ratios: Record<string, number | undefined>;
}

const COLORS = ["#3b7dd8", "#e07b39", "#4caf50", "#9c27b0", "#795548"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Renders the chart; `title` is shown on top (machine and date belong there, given by the caller);
 * `ours` is the engine whose time the ratios divide (lua-wasm, or lua-wasm+jit under bench --jit).
 */
export function ratioChart(rows: ChartRow[], peers: string[], title: string, ours = "lua-wasm"): string {
  const values = rows
    .flatMap((r) => peers.map((p) => r.ratios[p]))
    .filter((x): x is number => x !== undefined && x > 0);
  const lo = Math.floor(Math.log2(Math.min(0.5, ...values)));
  const hi = Math.ceil(Math.log2(Math.max(2, ...values)));
  const labelW = 130,
    plotW = 560,
    barH = 12,
    gap = 10,
    top = 50 + 18 * Math.ceil(peers.length / 4);
  const groupH = peers.length * barH + gap;
  const height = top + rows.length * groupH + 40;
  const width = labelW + plotW + 90;
  const x = (r: number) => labelW + ((Math.log2(r) - lo) / (hi - lo)) * plotW;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="10" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`);
  out.push(
    `<text x="10" y="34" fill="#555">time of ${esc(ours)} / time of the peer (log scale; left of 1x = ${esc(ours)} faster)</text>`,
  );
  peers.forEach((p, i) => {
    const lx = 10 + (i % 4) * 170,
      ly = 44 + 18 * Math.floor(i / 4);
    out.push(
      `<rect x="${lx}" y="${ly}" width="12" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${lx + 16}" y="${ly + 9}">vs ${esc(p)}</text>`,
    );
  });
  for (let e = lo; e <= hi; e++) {
    const gx = x(2 ** e).toFixed(1);
    out.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${height - 30}" stroke="${e === 0 ? "#000" : "#ddd"}"/>`);
    out.push(
      `<text x="${gx}" y="${height - 16}" text-anchor="middle">${e >= 0 ? `${2 ** e}x` : `1/${2 ** -e}`}</text>`,
    );
  }
  rows.forEach((row, ri) => {
    const gy = top + ri * groupH;
    out.push(
      `<text x="${labelW - 8}" y="${gy + (peers.length * barH) / 2 + 4}" text-anchor="end">${esc(row.program)}</text>`,
    );
    peers.forEach((p, pi) => {
      const r = row.ratios[p],
        y = gy + pi * barH;
      if (r === undefined || !(r > 0)) {
        out.push(`<text x="${x(1) + 4}" y="${y + barH - 2}" fill="#999">n/a</text>`);
        return;
      }
      const x0 = Math.min(x(1), x(r)),
        w = Math.max(1, Math.abs(x(r) - x(1)));
      out.push(
        `<rect x="${x0.toFixed(1)}" y="${y + 1}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${COLORS[pi % COLORS.length]}"/>`,
      );
      out.push(
        `<text x="${(Math.max(x(1), x(r)) + 4).toFixed(1)}" y="${y + barH - 2}">${r < 0.1 ? r.toPrecision(2) : r < 10 ? r.toFixed(2) : r.toFixed(1)}x</text>`,
      );
    });
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
