// The playground's configuration: read from and written to the URL, shown in and read from the form.
export const defaults = { dataset: 'spiral', noise: 0.1, layers: [16, 16], activation: 'tanh', optimizer: 'adam', learningRate: 0.03, batchSize: 16, weightDecay: 0, seed: 0 };
export const datasets = ['spiral', 'moons', 'circles', 'xor', 'blobs', 'digits'];
export const activations = ['tanh', 'relu', 'sigmoid', 'leaky-relu', 'gelu'];
export const optimizers = ['adam', 'sgd', 'adamw'];

const num = (v, d) => { const n = Number(v); return v != null && v !== '' && Number.isFinite(n) ? n : d; };

/** The configuration in a URL query (unknown or broken values fall back to the defaults). */
export function fromQuery(search) {
  const q = new URLSearchParams(search);
  const layers = q.has('layers') ? (q.get('layers') === '' ? [] : q.get('layers').split(',').map((x) => Math.round(num(x, 8)))) : defaults.layers;
  return {
    dataset: datasets.includes(q.get('dataset')) ? q.get('dataset') : defaults.dataset,
    noise: num(q.get('noise'), defaults.noise),
    layers: layers.slice(0, 6).map((n) => Math.max(1, Math.min(64, n))),
    activation: activations.includes(q.get('activation')) ? q.get('activation') : defaults.activation,
    optimizer: optimizers.includes(q.get('optimizer')) ? q.get('optimizer') : defaults.optimizer,
    learningRate: num(q.get('lr'), defaults.learningRate),
    batchSize: Math.round(num(q.get('batch'), defaults.batchSize)),
    weightDecay: num(q.get('wd'), defaults.weightDecay),
    seed: Math.round(num(q.get('seed'), defaults.seed)),
  };
}

/** The URL query of a configuration (what a person shares). */
export function toQuery(c) {
  const q = new URLSearchParams({ dataset: c.dataset, noise: String(c.noise), layers: c.layers.join(','), activation: c.activation,
    optimizer: c.optimizer, lr: String(c.learningRate), batch: String(c.batchSize), wd: String(c.weightDecay), seed: String(c.seed) });
  return '?' + q.toString().replace(/%2C/g, ','); // commas stay readable in a shared link
}

/** Binds the form to a configuration; calls onChange(config) after every edit. */
export class ConfigForm {
  constructor(config, onChange) {
    this.config = structuredClone(config); this.onChange = onChange;
    const $ = (id) => document.getElementById(id);
    this.el = { dataset: $('dataset'), noise: $('noise'), noiseVal: $('noise-val'), layers: $('layers'), activation: $('activation'),
      optimizer: $('optimizer'), lr: $('lr'), batch: $('batch'), wd: $('wd') };
    const fill = (sel, values) => values.forEach((v) => { const o = document.createElement('option'); o.value = o.textContent = v; sel.append(o); });
    fill(this.el.dataset, datasets); fill(this.el.activation, activations); fill(this.el.optimizer, optimizers);
    for (const [key, el, parse] of [['dataset', this.el.dataset, String], ['activation', this.el.activation, String], ['optimizer', this.el.optimizer, String],
      ['noise', this.el.noise, Number], ['learningRate', this.el.lr, Number], ['batchSize', this.el.batch, Number], ['weightDecay', this.el.wd, Number]])
      el.addEventListener('change', () => { this.config[key] = parse(el.value); this.changed(); });
    this.el.noise.addEventListener('input', () => { this.el.noiseVal.textContent = Number(this.el.noise.value).toFixed(2); });
    $('add-layer').addEventListener('click', () => { if (this.config.layers.length < 6) { this.config.layers.push(8); this.changed(); } });
    $('remove-layer').addEventListener('click', () => { if (this.config.layers.length > 0) { this.config.layers.pop(); this.changed(); } });
    this.show();
  }

  changed() { this.show(); this.onChange(structuredClone(this.config)); }

  show() {
    const c = this.config, e = this.el;
    e.dataset.value = c.dataset; e.noise.value = String(c.noise); e.noiseVal.textContent = c.noise.toFixed(2);
    e.activation.value = c.activation; e.optimizer.value = c.optimizer; e.lr.value = String(c.learningRate);
    e.batch.value = String(c.batchSize); e.wd.value = String(c.weightDecay);
    e.layers.replaceChildren(...c.layers.map((n, i) => {
      const input = document.createElement('input'); input.type = 'number'; input.min = '1'; input.max = '64'; input.value = String(n);
      input.title = `neurons of hidden layer ${i + 1} (1–64)`; input.id = `layer-${i}`;
      input.addEventListener('change', () => { c.layers[i] = Math.max(1, Math.min(64, Math.round(Number(input.value) || 1))); this.changed(); });
      return input;
    }));
    if (c.layers.length === 0) e.layers.textContent = 'none (a linear model)';
  }
}
