// Output neurons labelled with their class name and predicted probability (softmax of the stored outputs).
export class OutputLabels {
  constructor(stage, network, container, classNames) {
    this.stage = stage; this.network = network; this.classNames = classNames;
    this.root = document.createElement('div');
    this.root.className = 'labels';
    container.append(this.root);
    const last = network.view.layers.length - 1;
    this.layer = last;
    const spec = network.view.layers[last];
    this.enabled = spec.kind === 'Dense' && spec.neurons <= 32;
    this.items = [];
    if (this.enabled) for (let k = 0; k < spec.neurons; k++) {
      const el = document.createElement('div'); el.className = 'label';
      this.root.append(el); this.items.push(el);
    }
    this.placer = () => this.place();
    stage.onRender.push(this.placer);
  }

  dispose() { this.root.remove(); this.stage.onRender.splice(this.stage.onRender.indexOf(this.placer), 1); }

  /** Probabilities of the output layer: softmax of the stored outputs (unless they already are probabilities). */
  static probabilities(values) {
    if (!values) return null;
    let sum = 0, inUnit = true;
    for (const v of values) { sum += v; if (v < 0 || v > 1) inUnit = false; }
    if (inUnit && Math.abs(sum - 1) < 1e-3) return Array.from(values);
    const m = Math.max(...values);
    const e = Array.from(values, (v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  }

  update() {
    if (!this.enabled) return;
    const p = OutputLabels.probabilities(this.network.step?.decoded[this.layer]?.activations);
    const best = p ? p.indexOf(Math.max(...p)) : -1;
    this.items.forEach((el, k) => {
      const name = this.classNames?.[k] ?? `class ${k}`;
      el.innerHTML = '';
      const t = document.createElement('span'); t.textContent = name + ' ';
      const b = document.createElement(k === best ? 'b' : 'span'); b.textContent = p ? `${(100 * p[k]).toFixed(1)}%` : '';
      el.append(t, b);
    });
  }

  place() {
    if (!this.enabled) return;
    const at = this.items.map((el, k) => ({ el, s: this.stage.toScreen(this.network.neuronPosition(this.layer, k)) }));
    // Labels of neighbouring neurons would overlap: keep them at least one line apart, top to bottom.
    at.sort((a, b) => a.s.y - b.s.y);
    let lastY = -Infinity;
    for (const { el, s } of at) {
      const y = Math.max(s.y, lastY + 17);
      lastY = y;
      el.style.left = `${s.x}px`; el.style.top = `${y}px`;
      el.style.display = s.visible ? '' : 'none';
    }
  }
}
