namespace NeuroCore.Service.Jobs;

/// <summary>What <c>GET /api/jobs/{id}</c> answers: the job record with its segments folded in.</summary>
/// <param name="Id">The job id.</param>
/// <param name="RunId">The run rendered.</param>
/// <param name="Kind">The render kind.</param>
/// <param name="Format">The output format.</param>
/// <param name="State">queued, running, succeeded, failed or canceled.</param>
/// <param name="Progress">0..1.</param>
/// <param name="EtaSeconds">Estimated seconds left while running, else null.</param>
/// <param name="Error">Why it failed, else null.</param>
/// <param name="ResultUrl">Where to download the result once succeeded, else null.</param>
/// <param name="CreatedUtc">When the job was created.</param>
/// <param name="FinishedUtc">When it ended.</param>
/// <param name="Segments">The frame-range segments of a segmented video and the workers that rendered them.</param>
/// <param name="Worker">The worker of the single-part phase or of the stitch.</param>
public sealed record JobStatus(
    string Id, string RunId, string Kind, string Format, string State, double Progress, double? EtaSeconds, string? Error,
    string? ResultUrl, DateTimeOffset CreatedUtc, DateTimeOffset? FinishedUtc, IReadOnlyList<SegmentStatus> Segments, string? Worker)
{
    /// <summary>Folds the segment records into the job record.</summary>
    public static JobStatus From(JobRecord job, IReadOnlyList<SegmentRecord> segments, bool canceled)
    {
        string state = job.State;
        double progress = job.Progress;
        if (canceled && !JobStates.IsFinal(state)) state = JobStates.Canceled;
        if (job.SegmentCount > 0 && !JobStates.IsFinal(state))
        {
            // Segments are 95 % of the work; the stitch (a copy) the rest.
            long done = segments.Sum(s => (long)(s.State == JobStates.Succeeded ? s.FrameCount : s.FramesDone));
            progress = Math.Max(progress, 0.95 * done / Math.Max(1, job.TotalFrames));
            if (segments.Count > 0 && state == JobStates.Queued) state = JobStates.Running;
            if (segments.FirstOrDefault(s => s.State == JobStates.Failed) is { } bad)
            {
                state = JobStates.Failed;
                job.Error ??= $"segment {bad.Index} (frames {bad.FirstFrame}–{bad.FirstFrame + bad.FrameCount - 1}) failed on {bad.Worker}: {bad.Error}";
            }
        }
        if (state == JobStates.Succeeded) progress = 1;
        double? eta = null;
        var started = job.StartedUtc ?? (segments.Count > 0 ? segments.Min(s => s.StartedUtc) : null);
        if (state == JobStates.Running && started is { } t0 && progress > 0.01)
        {
            double elapsed = (DateTimeOffset.UtcNow - t0).TotalSeconds;
            eta = Math.Round(elapsed * (1 - progress) / progress, 1);
        }
        return new JobStatus(job.Id, job.RunId, job.Kind, job.Format, state, Math.Round(Math.Clamp(progress, 0, 1), 4), eta,
            state == JobStates.Failed ? job.Error : null,
            state == JobStates.Succeeded ? $"/api/jobs/{job.Id}/result" : null,
            job.CreatedUtc, job.FinishedUtc,
            [.. segments.Select(s => new SegmentStatus(s.Index, s.FirstFrame, s.FrameCount, s.FramesDone, s.State, s.Worker))],
            job.Worker);
    }
}

/// <summary>One segment as the API shows it.</summary>
/// <param name="Index">Segment number.</param>
/// <param name="FirstFrame">First frame.</param>
/// <param name="FrameCount">Frames in the segment.</param>
/// <param name="FramesDone">Frames rendered.</param>
/// <param name="State">running, succeeded or failed.</param>
/// <param name="Worker">The worker that rendered it.</param>
public sealed record SegmentStatus(int Index, int FirstFrame, int FrameCount, int FramesDone, string State, string? Worker);
