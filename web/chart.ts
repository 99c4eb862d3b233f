// chart.ts - the memory panel's small chart: Lua heap bytes and host-held bytes (external tables)
// over the last samples, drawn on a canvas at the device's pixel ratio. No library: two polylines.
// Invariant: at most MAX_SAMPLES samples are kept; the y scale always includes every kept sample.

import type { Memory } from "./protocol.js";

const MAX_SAMPLES = 120;

export class MemoryChart {
  private readonly samples: { lua: number; host: number }[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  add(m: Memory): void {
    this.samples.push({ lua: m.lua_memory_used, host: m.host_bytes });
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
    this.draw();
  }

  get count(): number {
    return this.samples.length;
  }

  draw(): void {
    const c = this.canvas;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(c.clientWidth * dpr));
    const h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const g = c.getContext("2d");
    if (!g) return;
    const css = getComputedStyle(c);
    g.clearRect(0, 0, w, h);
    const max = Math.max(1, ...this.samples.map((s) => Math.max(s.lua, s.host)));
    const pad = 4 * dpr;
    const x = (i: number) => pad + ((w - 2 * pad) * i) / Math.max(1, MAX_SAMPLES - 1);
    const y = (v: number) => h - pad - ((h - 2 * pad) * v) / max;
    const line = (pick: (s: { lua: number; host: number }) => number, color: string) => {
      g.strokeStyle = color;
      g.lineWidth = 1.5 * dpr;
      g.beginPath();
      this.samples.forEach((s, i) => (i === 0 ? g.moveTo(x(i), y(pick(s))) : g.lineTo(x(i), y(pick(s)))));
      g.stroke();
    };
    line((s) => s.host, css.getPropertyValue("--chart-host").trim() || "#c60");
    line((s) => s.lua, css.getPropertyValue("--chart-lua").trim() || "#06c");
    g.fillStyle = css.color;
    g.font = `${10 * dpr}px system-ui, sans-serif`;
    g.fillText(`max ${formatBytes(max)}`, pad, 11 * dpr);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
