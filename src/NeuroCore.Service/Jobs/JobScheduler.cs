using Hangfire;
using NeuroCore.Service.Options;
using NeuroCore.Service.Storage;
using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Service.Jobs;

/// <summary>Creates job records and enqueues their Hangfire jobs; answers status and cancels.</summary>
public sealed class JobScheduler(IArtifactStore artifacts, IBackgroundJobClient client, ServiceLimits limits)
{
    /// <summary>Creates and enqueues a render of run <paramref name="runId"/> (in <paramref name="runFolder"/>).</summary>
    public JobRecord Create(string runId, string runFolder, RenderRequest request, RenderPlan plan)
    {
        var job = new JobRecord
        {
            Id = RunIds.New("j"),
            RunId = runId,
            Request = request,
            Kind = plan.Kind,
            Format = plan.Format,
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        if (plan.Timelapse is { } options)
        {
            job.TotalFrames = options.FrameCount;
            if (plan.Segmentable)
            {
                int per = Math.Max(1, request.SegmentFrames ?? limits.SegmentFrames);
                job.SegmentCount = Math.Max(1, (job.TotalFrames + per - 1) / per);
            }
        }
        artifacts.SaveJob(job);
        var ids = new List<string>();
        if (job.SegmentCount > 0)
            for (int k = 0; k < job.SegmentCount; k++)
            {
                int index = k;
                ids.Add(client.Enqueue<RenderJobs>(j => j.RenderSegment(job.Id, index, CancellationToken.None)));
            }
        else
            ids.Add(client.Enqueue<RenderJobs>(j => j.Render(job.Id, CancellationToken.None)));
        // In a file of its own: a worker may already be writing the job record.
        artifacts.SaveEngineJobs(job.Id, ids);
        return job;
    }

    /// <summary>The status of job <paramref name="id"/>, or null.</summary>
    public JobStatus? Status(string id)
    {
        var job = artifacts.LoadJob(id);
        return job is null ? null : JobStatus.From(job, job.SegmentCount > 0 ? artifacts.LoadSegments(id) : [], artifacts.IsCanceled(id));
    }

    /// <summary>Cancels job <paramref name="id"/>: marks it (workers stop at their next frame) and deletes its queued Hangfire jobs.</summary>
    public JobStatus? Cancel(string id)
    {
        var job = artifacts.LoadJob(id);
        if (job is null) return null;
        if (!JobStates.IsFinal(job.State))
        {
            artifacts.MarkCanceled(id);
            foreach (var h in artifacts.LoadEngineJobs(id)) client.Delete(h);
        }
        return Status(id);
    }
}
