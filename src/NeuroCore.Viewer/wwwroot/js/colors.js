// The shared colour maps, sampled on the server from NeuroCore.Visualization's Color folder
// (DivergingColorMap, SequentialColorMap, ClassColorMap), so the page, the glTF and the videos match.

const hex = (h) => [parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255];

export class ColorMaps {
  constructor(colors) {
    this.diverging = colors.diverging.map(hex);   // 2n+1 samples over value/scale in [-1, 1]
    this.sequential = colors.sequential.map(hex); // n+1 samples over t in [0, 1]
    this.classes = colors.classes.map(hex);
    this.hex = colors;
  }

  /** sRGB colour of a signed value relative to scale (a weight); brightness grows with sqrt(|v|/scale) as in the glTF. */
  weight(value, scale) {
    const n = (this.diverging.length - 1) / 2;
    const t = scale > 0 && Number.isFinite(value) ? Math.max(-1, Math.min(1, value / scale)) : 0;
    return this.diverging[Math.round(t * n) + n];
  }

  /** Strength in [0, 1] as the diverging map uses it (and the connection opacity does). */
  strength(value, scale) {
    if (!(scale > 0) || !Number.isFinite(value)) return 0;
    return Math.sqrt(Math.min(1, Math.abs(value) / scale));
  }

  /** sRGB colour of an activation in [min, max] (sequential, inferno-like). */
  activation(value, min, max) {
    const n = this.sequential.length - 1;
    let t = max > min ? (value - min) / (max - min) : 0.5;
    if (!Number.isFinite(t)) t = 0;
    return this.sequential[Math.round(Math.max(0, Math.min(1, t)) * n)];
  }

  /** sRGB colour of class k. */
  cls(k) { return this.classes[((k % this.classes.length) + this.classes.length) % this.classes.length]; }

  /** CSS colour of class k. */
  clsCss(k) { return this.hex.classes[((k % this.classes.length) + this.classes.length) % this.classes.length]; }
}

/** sRGB channel to linear light (three.js vertex colours and instance colours are linear). */
export const toLinear = (c) => c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
