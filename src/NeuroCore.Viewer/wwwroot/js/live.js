// Live mode: server-sent events of new snapshots (GET /api/runs/{id}/events) while a run is recorded.
export class LiveFeed {
  constructor(runId, afterStep, onSnapshot, onFinished, onState) {
    this.source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events${afterStep != null ? `?after=${afterStep}` : ''}`);
    this.source.addEventListener('snapshot', (e) => onSnapshot(JSON.parse(e.data)));
    this.source.addEventListener('finished', () => { onFinished(); this.close(); });
    this.source.addEventListener('open', () => onState('live'));
    this.source.addEventListener('error', () => onState(this.source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  }

  close() { this.source.close(); }
}
