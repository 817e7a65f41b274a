// Download the glTF of this step or the timeline, request a video: jobs of the render service
// (POST /api/runs/{id}/renders → /api/jobs/{jobId}). Without the service, say so plainly.
import { getJson, postJson } from './api.js';

export class Exports {
  constructor(root, runId, currentStep) {
    this.runId = runId; this.currentStep = currentStep;
    root.innerHTML = `
      <div class="row"><button id="gltf-step">glTF of this step</button><button id="gltf-timeline">glTF timeline</button>
      <button id="video">request video</button></div><div class="row message" id="export-msg"></div>`;
    this.msg = root.querySelector('#export-msg');
    root.querySelector('#gltf-step').addEventListener('click', () => this.render({ kind: 'gltf-step', format: 'glb', step: this.currentStep() }));
    root.querySelector('#gltf-timeline').addEventListener('click', () => this.render({ kind: 'gltf-timeline', format: 'glb' }));
    root.querySelector('#video').addEventListener('click', () => this.render({ kind: 'video', format: 'mp4' }));
  }

  async render(request) {
    this.msg.textContent = `requesting ${request.kind}…`;
    let job;
    try {
      job = await postJson(`/api/runs/${encodeURIComponent(this.runId)}/renders`, request);
    } catch (e) {
      this.msg.textContent = e.status === 404 || e.status === 405
        ? 'Rendering needs the render service (neurocore serve): this server does not offer /api/runs/{id}/renders.'
        : `The render request was refused: ${e.message}`;
      return;
    }
    const url = job.location || (job.id || job.jobId ? `/api/jobs/${job.id || job.jobId}` : null);
    if (!url) { this.msg.textContent = 'The service accepted the render but named no job to follow.'; return; }
    for (;;) {
      let state;
      try { state = await getJson(url); } catch (e) { this.msg.textContent = `Following the job failed: ${e.message}`; return; }
      if (state.state === 'succeeded') {
        const href = state.resultUrl || `${url}/result`;
        this.msg.innerHTML = '';
        const a = document.createElement('a'); a.href = href; a.textContent = `download ${request.kind}`; a.download = '';
        this.msg.append(a);
        return;
      }
      if (state.state === 'failed' || state.state === 'canceled') { this.msg.textContent = `The ${request.kind} job ${state.state}: ${state.error ?? ''}`; return; }
      const eta = state.etaSeconds != null ? `, about ${Math.ceil(state.etaSeconds)} s left` : '';
      this.msg.textContent = `${request.kind}: ${state.state} ${Math.round(100 * (state.progress ?? 0))}%${eta}`;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
