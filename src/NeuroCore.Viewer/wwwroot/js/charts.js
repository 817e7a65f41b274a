// Loss and accuracy over the run's steps, with a cursor that follows the timeline.
export class Chart {
  constructor(canvas, series) {
    this.canvas = canvas; this.series = series; // [{key, label, color, get(s) -> number|null}]
    this.points = []; this.cursor = null;
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  set(points) { this.points = points; this.draw(); }

  setCursor(step) { this.cursor = step; this.draw(); }

  draw() {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const W = Math.max(1, c.clientWidth), H = Math.max(1, c.clientHeight);
    c.width = W * dpr; c.height = H * dpr;
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, W, H);
    const pts = this.points;
    g.font = '11px system-ui, sans-serif';
    if (pts.length === 0) { g.fillStyle = '#9aa3b8'; g.fillText('no data yet', 8, 16); return; }
    const x0 = pts[0].step, x1 = Math.max(pts[pts.length - 1].step, x0 + 1);
    const L = 34, R = 6, T = 14, B = 16;
    const X = (s) => L + (s - x0) / (x1 - x0) * (W - L - R);
    g.strokeStyle = '#2a3042'; g.strokeRect(L, T, W - L - R, H - T - B);
    g.fillStyle = '#9aa3b8'; g.fillText(String(x0), L, H - 3);
    const end = String(x1); g.fillText(end, W - R - g.measureText(end).width, H - 3);
    let lx = L + 4;
    for (const s of this.series) {
      const vals = pts.map((p) => s.get(p)).filter((v) => v != null && Number.isFinite(v));
      if (!vals.length) continue;
      const lo = s.min ?? Math.min(...vals), hi = s.max ?? Math.max(...vals);
      const Y = (v) => T + (1 - (v - lo) / ((hi - lo) || 1)) * (H - T - B);
      g.strokeStyle = s.color; g.lineWidth = 1.5; g.beginPath();
      let first = true;
      for (const p of pts) { const v = s.get(p); if (v == null || !Number.isFinite(v)) continue; if (first) { g.moveTo(X(p.step), Y(v)); first = false; } else g.lineTo(X(p.step), Y(v)); }
      g.stroke();
      // The value at the cursor, in the series' colour.
      let at = null;
      if (this.cursor != null) for (const p of pts) { if (p.step <= this.cursor && s.get(p) != null) at = s.get(p); }
      const text = `${s.label}${at != null ? ' ' + s.format(at) : ''}`;
      g.fillStyle = s.color; g.fillText(text, lx, 11); lx += g.measureText(text).width + 12;
    }
    if (this.cursor != null) {
      g.strokeStyle = '#ffffff'; g.lineWidth = 1; g.setLineDash([3, 3]);
      g.beginPath(); g.moveTo(X(this.cursor), T); g.lineTo(X(this.cursor), H - B); g.stroke(); g.setLineDash([]);
    }
  }
}

export const lossSeries = { key: 'loss', label: 'loss', color: '#ff9f5a', get: (p) => p.loss, format: (v) => v.toPrecision(3) };
export const accuracySeries = { key: 'accuracy', label: 'accuracy', color: '#7ad0ff', get: (p) => p.accuracy, min: 0, max: 1, format: (v) => `${(100 * v).toFixed(1)}%` };
