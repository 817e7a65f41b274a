// The decision-region panel of 2-D datasets: each grid cell in its predicted class's colour (brighter =
// more confident), the data points on top in their true class's colour.
import { floats, u8 } from './api.js';

export class DecisionPanel {
  constructor(canvas, maps) { this.canvas = canvas; this.maps = maps; this.points = null; }

  setPoints(points) { this.points = points ? { xy: floats(points.xy), labels: points.labels, bounds: points.bounds } : null; }

  draw(grid) {
    const c = this.canvas, g = c.getContext('2d');
    const W = c.width, H = c.height;
    g.fillStyle = '#0b0e15'; g.fillRect(0, 0, W, H);
    if (!grid) { g.fillStyle = '#9aa3b8'; g.font = '16px system-ui'; g.fillText('no 2-D decision regions for this dataset', 12, 28); return; }
    const n = grid.size, cls = u8(grid.classes), conf = u8(grid.confidence);
    const img = g.createImageData(n, n);
    const k0 = 1 / this.maps.classes.length;
    for (let i = 0; i < n * n; i++) {
      const rgb = this.maps.cls(cls[i]);
      // Confidence from chance (1/classes) to certain maps to 15%..75% of the class colour over the background.
      const t = 0.15 + 0.6 * Math.max(0, (conf[i] / 255 - k0) / (1 - k0));
      img.data[4 * i] = 255 * (0.043 * (1 - t) + rgb[0] * t);
      img.data[4 * i + 1] = 255 * (0.055 * (1 - t) + rgb[1] * t);
      img.data[4 * i + 2] = 255 * (0.082 * (1 - t) + rgb[2] * t);
      img.data[4 * i + 3] = 255;
    }
    const tmp = new OffscreenCanvas(n, n);
    tmp.getContext('2d').putImageData(img, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(tmp, 0, 0, W, H);
    if (!this.points) return;
    const [x0, x1, y0, y1] = grid.bounds;
    const { xy, labels } = this.points;
    for (let i = 0; i < labels.length; i++) {
      const x = (xy[2 * i] - x0) / (x1 - x0) * W, y = (1 - (xy[2 * i + 1] - y0) / (y1 - y0)) * H;
      g.beginPath(); g.arc(x, y, 3.2, 0, 2 * Math.PI);
      g.fillStyle = this.maps.clsCss(labels[i]); g.fill();
      // A light ring, as the video frames draw it (Hud.DrawDecisionPanel): a point reads against its own class's region.
      g.lineWidth = 1; g.strokeStyle = 'rgba(255, 255, 255, 0.78)'; g.stroke();
    }
  }
}
