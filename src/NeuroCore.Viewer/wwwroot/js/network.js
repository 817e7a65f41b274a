// The network in 3D, built once from the layout the server computed with NeuroCore.Visualization's
// NetworkLayout (the same positions as the glTF and video), then updated in place for every step:
// neuron colours (InstancedMesh instance colours), image planes (DataTexture), connection colours and
// opacity (a LineSegments colour attribute). Nothing is rebuilt when the timeline moves.
import * as THREE from 'three';
import { LineSegments2 } from '/viewer/vendor/three/LineSegments2.js';
import { LineSegmentsGeometry } from '/viewer/vendor/three/LineSegmentsGeometry.js';
import { LineMaterial } from '/viewer/vendor/three/LineMaterial.js';
import { floats, ints, u8 } from './api.js';
import { toLinear } from './colors.js';

export class NetworkView {
  constructor(stage, view, maps) {
    this.stage = stage; this.view = view; this.maps = maps;
    this.group = new THREE.Group();
    stage.scene.add(this.group);
    this.layers = view.layers.map((l) => this.buildLayer(l));
    this.linesGroup = new THREE.Group();
    this.group.add(this.linesGroup);
    this.lines = [];
    this.activationRange = view.activationRange.map((r) => [r[0], r[1]]);
    this.weightScale = view.weightScale.slice();
    this.linearDiverging = maps.diverging.map((c) => c.map(toLinear));
  }

  buildLayer(l) {
    const positions = floats(l.positions);
    const planeCenters = floats(l.planeCenters);
    const layer = { spec: l, positions, planeCenters, image: l.shape.length >= 2 };
    const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
    for (let k = 0; k < l.neurons; k++) for (let d = 0; d < 3; d++) {
      min[d] = Math.min(min[d], positions[3 * k + d]); max[d] = Math.max(max[d], positions[3 * k + d]);
    }
    layer.center = new THREE.Vector3((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2);
    if (layer.image) {
      // One textured plane per feature map / channel, in the layer's Y-Z plane, row 0 at the top, column 0 at -Z.
      layer.planes = [];
      const H = l.rows, W = l.cols, s = l.spacing;
      for (let p = 0; p < l.planes; p++) {
        const data = new Uint8Array(W * H * 4).fill(255);
        const tex = new THREE.DataTexture(data, W, H, THREE.RGBAFormat);
        tex.colorSpace = THREE.SRGBColorSpace;
        tex.magFilter = THREE.NearestFilter; tex.minFilter = THREE.NearestFilter;
        tex.needsUpdate = true;
        const mesh = new THREE.Mesh(new THREE.PlaneGeometry(W * s, H * s),
          new THREE.MeshBasicMaterial({ map: tex, side: THREE.DoubleSide }));
        mesh.rotation.y = -Math.PI / 2;
        mesh.position.set(planeCenters[3 * p], planeCenters[3 * p + 1], planeCenters[3 * p + 2]);
        mesh.userData = { layer: l.index, plane: p };
        this.group.add(mesh);
        layer.planes.push({ mesh, tex, data });
      }
    } else {
      const geo = new THREE.SphereGeometry(l.radius, 14, 10);
      const mesh = new THREE.InstancedMesh(geo, new THREE.MeshLambertMaterial({ color: 0xffffff }), l.neurons);
      const m = new THREE.Matrix4();
      for (let k = 0; k < l.neurons; k++) {
        m.makeTranslation(positions[3 * k], positions[3 * k + 1], positions[3 * k + 2]);
        mesh.setMatrixAt(k, m);
      }
      const c = new THREE.Color(0x57106e);
      for (let k = 0; k < l.neurons; k++) mesh.setColorAt(k, c);
      mesh.userData = { layer: l.index };
      mesh.computeBoundingSphere();
      this.group.add(mesh);
      layer.mesh = mesh;
    }
    return layer;
  }

  /** Removes the network from the scene. */
  dispose() {
    this.stage.scene.remove(this.group);
    this.group.traverse((o) => { o.geometry?.dispose(); o.material?.map?.dispose(); o.material?.dispose(); });
  }

  /** Where neuron k of layer i is (world space). */
  neuronPosition(i, k) {
    const p = this.layers[i].positions;
    return new THREE.Vector3(p[3 * k], p[3 * k + 1], p[3 * k + 2]);
  }

  /** The end point of a connection on layer i for plane / neuron index (conv layers connect plane centres). */
  endpoint(i, index, dense) {
    const L = this.layers[i];
    if (dense) return [L.positions[3 * index], L.positions[3 * index + 1], L.positions[3 * index + 2]];
    if (L.spec.planes === 1) return [L.center.x, L.center.y, L.center.z];
    return [L.planeCenters[3 * index], L.planeCenters[3 * index + 1], L.planeCenters[3 * index + 2]];
  }

  /** Replaces the drawn connections (a new budget): one LineSegments per weighted layer. */
  setConnections(conn) {
    for (const l of this.lines) for (const o of [l.obj, ...l.thick.map((t) => t.obj)]) { o.geometry.dispose(); o.material.dispose(); this.linesGroup.remove(o); }
    this.lines = [];
    this.connections = conn;
    for (const c of conn.layers) {
      const ids = ints(c.ids);
      const spec = this.view.layers[c.layer], prev = this.view.layers[c.layer - 1];
      const dense = spec.kind === 'Dense';
      const inputs = dense ? prev.neurons : prev.planes;
      const pos = new Float32Array(ids.length * 6);
      for (let j = 0; j < ids.length; j++) {
        const id = ids[j];
        const a = this.endpoint(c.layer - 1, id % inputs, dense), b = this.endpoint(c.layer, Math.floor(id / inputs), dense);
        pos.set(a, 6 * j); pos.set(b, 6 * j + 3);
      }
      const geo = new THREE.BufferGeometry();
      geo.setAttribute('position', new THREE.BufferAttribute(pos, 3));
      const col = new THREE.BufferAttribute(new Float32Array(ids.length * 8), 4);
      col.setUsage(THREE.DynamicDrawUsage);
      geo.setAttribute('color', col);
      const obj = new THREE.LineSegments(geo, new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, depthWrite: false }));
      obj.userData = { layer: c.layer, ids };
      obj.renderOrder = -1;
      this.linesGroup.add(obj);
      // WebGL lines are 1 px: the strongest connections (in the reference snapshot) get screen-space
      // wide lines on top, 2 or 3.5 px, so thickness grows with |weight| as in the glTF.
      const widths = u8(c.widths) ?? new Uint8Array(ids.length);
      const thick = [];
      for (const [cls, px] of [[1, 2], [2, 3.5]]) {
        const members = [];
        for (let j = 0; j < ids.length; j++) if (widths[j] === cls) members.push(j);
        if (!members.length) continue;
        const seg = new Float32Array(members.length * 6);
        members.forEach((j, m) => seg.set(pos.subarray(6 * j, 6 * j + 6), 6 * m));
        const g = new LineSegmentsGeometry();
        g.setPositions(seg);
        g.setColors(new Float32Array(members.length * 6));
        const mat = new LineMaterial({ linewidth: px, vertexColors: true, transparent: true, opacity: 0.9, depthWrite: false });
        this.stage.renderer.getDrawingBufferSize(mat.resolution);
        const o = new LineSegments2(g, mat);
        o.raycast = () => {}; // picking uses the 1 px lines, which hold every drawn connection
        this.linesGroup.add(o);
        thick.push({ obj: o, members });
      }
      this.lines.push({ obj, ids, layer: c.layer, inputs, thick });
    }
    if (this.step) this.colorConnections(this.step);
    this.stage.requestRender();
  }

  /** Decodes a step payload once (arrays are kept on it). */
  static decode(step) {
    if (step.decoded) return step;
    step.decoded = step.layers.map((l) => ({
      connections: floats(l.connections), bias: floats(l.bias), activations: floats(l.activations), gradients: floats(l.gradients),
      gradientNorm: l.gradientNorm,
    }));
    return step;
  }

  /** Shows a step: colours neurons, planes and connections from its stored values. */
  update(step) {
    NetworkView.decode(step);
    this.step = step;
    const tmp = new THREE.Color();
    for (let i = 0; i < this.layers.length; i++) {
      const L = this.layers[i];
      const act = step.decoded[i]?.activations;
      const range = this.activationRange[i];
      if (act) for (const v of act) if (Number.isFinite(v)) { if (v < range[0]) range[0] = v; if (v > range[1]) range[1] = v; }
      if (L.image) {
        const H = L.spec.rows, W = L.spec.cols, per = H * W;
        const grey = L.spec.kind === 'Input';
        L.planes.forEach((pl, p) => {
          for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) {
            const k = p * per + r * W + c;
            const o = 4 * ((H - 1 - r) * W + c); // texture row 0 is the bottom
            let rgb;
            if (!act) rgb = [0.2, 0.2, 0.25];
            else if (grey) { const t = range[1] > range[0] ? (act[k] - range[0]) / (range[1] - range[0]) : 0.5; rgb = [t, t, t]; }
            else rgb = this.maps.activation(act[k], range[0], range[1]);
            pl.data[o] = 255 * rgb[0]; pl.data[o + 1] = 255 * rgb[1]; pl.data[o + 2] = 255 * rgb[2]; pl.data[o + 3] = 255;
          }
          pl.tex.needsUpdate = true;
        });
      } else if (act) {
        for (let k = 0; k < L.spec.neurons; k++) {
          const rgb = this.maps.activation(act[k], range[0], range[1]);
          tmp.setRGB(rgb[0], rgb[1], rgb[2], THREE.SRGBColorSpace);
          L.mesh.setColorAt(k, tmp);
        }
        L.mesh.instanceColor.needsUpdate = true;
      }
    }
    this.colorConnections(step);
    this.stage.requestRender();
  }

  colorConnections(step) {
    for (const line of this.lines) {
      const values = step.decoded[line.layer]?.connections;
      const attr = line.obj.geometry.getAttribute('color');
      const a = attr.array;
      let max = 0;
      if (values) for (const v of values) if (Math.abs(v) > max) max = Math.abs(v);
      // A fixed scale per layer keeps steps comparable; it only grows (a live run's weights outgrow the first snapshots').
      // The playground colours each frame by its own largest |w| instead (dynamicScale).
      if (max > this.weightScale[line.layer]) this.weightScale[line.layer] = max;
      const scale = (this.dynamicScale ? max : this.weightScale[line.layer]) || 1;
      const n = (this.linearDiverging.length - 1) / 2;
      for (let j = 0; j < line.ids.length; j++) {
        const v = values ? values[line.ids[j]] : 0;
        const t = Number.isFinite(v) ? Math.max(-1, Math.min(1, v / scale)) : 0;
        const rgb = this.linearDiverging[Math.round(t * n) + n];
        // Opacity grows with |weight| (sqrt, as the colour's brightness), so strong connections stand out.
        const alpha = 0.06 + 0.94 * Math.sqrt(Math.abs(t));
        a[8 * j] = a[8 * j + 4] = rgb[0]; a[8 * j + 1] = a[8 * j + 5] = rgb[1]; a[8 * j + 2] = a[8 * j + 6] = rgb[2];
        a[8 * j + 3] = a[8 * j + 7] = alpha;
      }
      attr.needsUpdate = true;
      for (const t of line.thick) {
        const start = t.obj.geometry.attributes.instanceColorStart.data;
        const c = start.array;
        t.members.forEach((j, m) => { c.set(a.subarray(8 * j, 8 * j + 3), 6 * m); c.set(a.subarray(8 * j, 8 * j + 3), 6 * m + 3); });
        start.needsUpdate = true;
      }
    }
  }
}
