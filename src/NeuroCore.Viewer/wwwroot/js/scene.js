// The three.js stage: renderer, camera, orbit/pan/zoom controls, reset view, render on demand.
import * as THREE from 'three';
import { OrbitControls } from '/viewer/vendor/three/OrbitControls.js';

/** True when WebGL runs on a software rasteriser (headless Chromium, VMs without a GPU). */
function softwareWebGL() {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(name);
}

export class Stage {
  constructor(container) {
    this.container = container;
    // Multisampling is nearly free on a GPU but multiplies the cost of software rasterisers (SwiftShader, llvmpipe).
    this.software = softwareWebGL();
    this.renderer = new THREE.WebGLRenderer({ antialias: !this.software, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    container.prepend(this.renderer.domElement);
    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(0x0e111a);
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.01, 5000);
    this.scene.add(new THREE.AmbientLight(0xffffff, 1.6));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(-1, 2, 3);
    this.scene.add(sun);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.requestRender());
    this.onRender = [];
    this.frames = 0;
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
  }

  resize() {
    const w = Math.max(1, this.container.clientWidth), h = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    // Screen-space wide lines need the drawing-buffer size.
    this.scene.traverse((o) => { if (o.material?.isLineMaterial) this.renderer.getDrawingBufferSize(o.material.resolution); });
    this.requestRender();
  }

  /** Frames the box [min, max] from the input side, slightly from above and the left (as the videos do). */
  frame(min, max) {
    this.home = { min: new THREE.Vector3(...min), max: new THREE.Vector3(...max) };
    this.resetView();
  }

  resetView() {
    const { min, max } = this.home;
    const center = min.clone().add(max).multiplyScalar(0.5);
    const size = max.clone().sub(min);
    const fov = THREE.MathUtils.degToRad(this.camera.fov);
    // Fit the bounding sphere (narrower side of the view decides), seen obliquely from the input side so
    // every layer's grid shows instead of standing edge-on.
    const radius = Math.max(size.length() / 2, 1e-3);
    const half = Math.min(fov / 2, Math.atan(Math.tan(fov / 2) * this.camera.aspect));
    let dist = radius / Math.sin(half) * 0.9;
    const dir = new THREE.Vector3(-0.7, 0.35, 1).normalize();
    const place = () => {
      this.camera.position.copy(center).addScaledVector(dir, dist);
      this.camera.near = dist / 1000; this.camera.far = dist * 20;
      this.camera.lookAt(center);
      this.camera.updateProjectionMatrix();
      this.camera.updateMatrixWorld();
    };
    place();
    // The sphere is loose for a flat, wide network: fit the projected box instead (its corners span 85 % of the view).
    const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => new THREE.Vector3(k & 1 ? max.x : min.x, k & 2 ? max.y : min.y, k & 4 ? max.z : min.z));
    for (let i = 0; i < 3; i++) {
      let extent = 0;
      for (const c of corners) { const p = c.clone().project(this.camera); extent = Math.max(extent, Math.abs(p.x), Math.abs(p.y)); }
      if (!(extent > 0) || !Number.isFinite(extent)) break;
      dist = Math.max(dist * extent / 0.85, radius * 1.2);
      place();
    }
    this.controls.target.copy(center);
    this.controls.update();
    this.requestRender();
  }

  requestRender() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.render(); });
  }

  render() {
    this.renderer.render(this.scene, this.camera);
    this.frames++;
    for (const f of this.onRender) f();
  }

  /** Screen position (CSS pixels, relative to the canvas) of a world point. */
  toScreen(v) {
    const p = v.clone().project(this.camera);
    const r = this.renderer.domElement.getBoundingClientRect();
    return { x: (p.x + 1) / 2 * r.width, y: (1 - p.y) / 2 * r.height, visible: p.z > -1 && p.z < 1 };
  }
}
