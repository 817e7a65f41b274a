// The timeline over the run's snapshots: slider, play/pause, speed, step back/forward (and arrow keys).
export class Timeline {
  constructor(root, snapshots, onChange) {
    this.snapshots = snapshots; this.onChange = onChange; this.index = 0; this.playing = false;
    root.innerHTML = `
      <div class="row"><input type="range" id="slider" min="0" max="0" step="1" value="0" aria-label="snapshot"></div>
      <div class="row">
        <button id="back" title="previous snapshot (←)">◀</button>
        <button id="play" title="play / pause (space)">▶ play</button>
        <button id="fwd" title="next snapshot (→)">▶▶</button>
        <label class="dim">speed <select id="speed"><option value="2">2/s</option><option value="5" selected>5/s</option>
          <option value="10">10/s</option><option value="30">30/s</option></select></label>
      </div>
      <div class="row mono" id="where"></div>`;
    this.slider = root.querySelector('#slider');
    this.where = root.querySelector('#where');
    this.playBtn = root.querySelector('#play');
    this.speed = root.querySelector('#speed');
    this.slider.addEventListener('input', () => this.go(Number(this.slider.value)));
    root.querySelector('#back').addEventListener('click', () => this.go(this.index - 1));
    root.querySelector('#fwd').addEventListener('click', () => this.go(this.index + 1));
    this.playBtn.addEventListener('click', () => this.toggle());
    window.addEventListener('keydown', (e) => {
      if (e.target instanceof HTMLInputElement && e.target.type !== 'range') return;
      if (e.key === 'ArrowLeft') { this.go(this.index - 1); e.preventDefault(); }
      if (e.key === 'ArrowRight') { this.go(this.index + 1); e.preventDefault(); }
      if (e.key === ' ') { this.toggle(); e.preventDefault(); }
    });
    this.refresh();
  }

  get current() { return this.snapshots[this.index]; }

  /** The snapshot list grew (live mode). */
  refresh() {
    this.slider.max = String(Math.max(0, this.snapshots.length - 1));
    this.label();
  }

  label() {
    const s = this.current;
    if (!s) { this.where.textContent = 'no snapshots yet'; return; }
    const m = [`step ${s.step}`, `epoch ${s.epoch}`];
    if (s.loss != null) m.push(`loss ${s.loss.toPrecision(4)}`);
    if (s.accuracy != null) m.push(`acc ${(100 * s.accuracy).toFixed(1)}%`);
    this.where.textContent = `${m.join(' · ')}   [${this.index + 1}/${this.snapshots.length}]`;
  }

  /** Moves to snapshot i; returns the promise of it being shown. */
  go(i) {
    i = Math.max(0, Math.min(this.snapshots.length - 1, i));
    if (i === this.index && this.started) return Promise.resolve();
    this.started = true;
    this.index = i;
    this.slider.value = String(i);
    this.label();
    return Promise.resolve(this.onChange(this.current, i));
  }

  toggle() {
    this.playing = !this.playing;
    this.playBtn.textContent = this.playing ? '❚❚ pause' : '▶ play';
    this.playBtn.classList.toggle('on', this.playing);
    if (this.playing) {
      if (this.index >= this.snapshots.length - 1) this.go(0);
      this.tick();
    }
  }

  /** Plays by waiting for each step to be shown before the next (so a slow network never queues requests). */
  async tick() {
    while (this.playing) {
      const started = performance.now();
      if (this.index >= this.snapshots.length - 1) { this.toggle(); return; }
      await this.go(this.index + 1);
      const wait = 1000 / Number(this.speed.value) - (performance.now() - started);
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    }
  }
}
