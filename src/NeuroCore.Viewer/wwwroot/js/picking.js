// Hover and click: which neuron or connection is under the pointer, and what the stored snapshot says about it.
import * as THREE from 'three';

const fmt = (v) => v == null || !Number.isFinite(v) ? '–' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);

export class Picker {
  constructor(stage, network, infoEl, getContext) {
    this.stage = stage; this.network = network; this.info = infoEl; this.getContext = getContext;
    this.ray = new THREE.Raycaster();
    this.pinned = null;
    const el = stage.renderer.domElement;
    let last = null, queued = false;
    el.addEventListener('pointermove', (e) => {
      last = e;
      if (queued || this.pinned) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; this.show(this.pick(last)); });
    });
    let down = null;
    el.addEventListener('pointerdown', (e) => { down = { x: e.clientX, y: e.clientY }; });
    el.addEventListener('pointerup', (e) => {
      if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > 4) return; // a drag orbits, a click picks
      const hit = this.pick(e);
      this.pinned = hit;
      this.show(hit);
    });
  }

  /** The neuron or connection under a pointer event (neurons win over connections). */
  pick(e) {
    const r = this.stage.renderer.domElement.getBoundingClientRect();
    const ndc = new THREE.Vector2((e.clientX - r.left) / r.width * 2 - 1, -(e.clientY - r.top) / r.height * 2 + 1);
    this.ray.setFromCamera(ndc, this.stage.camera);
    const net = this.network;
    const targets = net.layers.flatMap((L) => L.image ? L.planes.map((p) => p.mesh) : [L.mesh]);
    const hits = this.ray.intersectObjects(targets, false);
    if (hits.length) {
      const h = hits[0], layer = h.object.userData.layer, L = net.layers[layer];
      if (L.image) {
        const W = L.spec.cols, H = L.spec.rows;
        const c = Math.min(W - 1, Math.floor(h.uv.x * W)), row = H - 1 - Math.min(H - 1, Math.floor(h.uv.y * H));
        return { kind: 'neuron', layer, index: h.object.userData.plane * W * H + row * W + c };
      }
      return { kind: 'neuron', layer, index: h.instanceId };
    }
    this.ray.params.Line.threshold = (net.view.layers[0].spacing || 1) * 0.15;
    const lineHits = this.ray.intersectObjects(net.lines.map((l) => l.obj), false);
    if (lineHits.length) {
      const h = lineHits[0];
      return { kind: 'connection', layer: h.object.userData.layer, id: h.object.userData.ids[Math.floor(h.index / 2)] };
    }
    return null;
  }

  /** Re-renders the panel for the pinned item (the step or probe changed). */
  refresh() { if (this.pinned) this.show(this.pinned); }

  show(hit) {
    this.current = hit;
    if (!hit) { this.info.textContent = 'Hover or click a neuron or a connection.'; return; }
    const text = hit.kind === 'neuron' ? this.neuronText(hit) : this.connectionText(hit);
    this.info.textContent = text + (this.pinned ? '\n(pinned; click empty space to release)' : '');
  }

  neuronText({ layer, index }) {
    const net = this.network, spec = net.view.layers[layer], step = net.step, ctx = this.getContext();
    const d = step?.decoded[layer];
    const lines = [`${spec.name}/neuron_${index}`];
    if (spec.shape.length >= 2) {
      const per = spec.rows * spec.cols, p = Math.floor(index / per), k = index % per;
      lines[0] += `  (${spec.shape.length === 3 ? `map ${p}, ` : ''}row ${Math.floor(k / spec.cols)}, col ${k % spec.cols})`;
    }
    if (layer === net.layers.length - 1 && ctx.classNames) lines.push(`class: ${ctx.classNames[index] ?? index}`);
    lines.push(`activation: ${d?.activations ? fmt(d.activations[index]) : 'not recorded'}  (probe ${ctx.probe}, step ${step?.step})`);
    if (spec.kind === 'Dense' || spec.kind === 'Conv2d') {
      const unit = spec.kind === 'Dense' ? index : Math.floor(index / (spec.rows * spec.cols));
      lines.push(`bias: ${d?.bias ? fmt(d.bias[unit]) : '–'}`);
      const prev = net.view.layers[layer - 1];
      const inputs = spec.kind === 'Dense' ? prev.neurons : prev.planes;
      if (d?.connections) {
        const row = d.connections.subarray(unit * inputs, (unit + 1) * inputs);
        let min = Infinity, max = -Infinity, sum = 0, abs = 0, sq = 0;
        for (const v of row) { min = Math.min(min, v); max = Math.max(max, v); sum += v; abs += Math.abs(v); sq += v * v; }
        lines.push(`incoming ${spec.kind === 'Dense' ? 'weights' : 'kernel means'} (${inputs}): mean ${fmt(sum / inputs)}, mean |w| ${fmt(abs / inputs)}`);
        lines.push(`  min ${fmt(min)}, max ${fmt(max)}, L2 ${fmt(Math.sqrt(sq))}`);
      }
    }
    return lines.join('\n');
  }

  connectionText({ layer, id }) {
    const net = this.network, spec = net.view.layers[layer], prev = net.view.layers[layer - 1], d = net.step?.decoded[layer];
    const dense = spec.kind === 'Dense';
    const inputs = dense ? prev.neurons : prev.planes;
    const from = id % inputs, to = Math.floor(id / inputs);
    const lines = [dense ? `${prev.name}/neuron_${from} → ${spec.name}/neuron_${to}` : `${prev.name} plane ${from} → ${spec.name} map ${to}`];
    lines.push(`${dense ? 'weight' : 'kernel mean weight'}: ${d?.connections ? fmt(d.connections[id]) : '–'}  (step ${net.step?.step})`);
    const norm = d?.gradientNorm != null ? `; layer gradient norm ${fmt(d.gradientNorm)}` : '';
    if (d?.gradients) lines.push(`gradient: ${fmt(d.gradients[id])}`);
    else if (net.view.gradients === 'full') lines.push('gradient: none recorded at this step (step 0 comes before the first backward pass)');
    else lines.push(`gradient: not stored per weight (the run recorded ${net.view.gradients})${norm}`);
    return lines.join('\n');
  }
}
