namespace NeuroCore.Service.Jobs;

/// <summary>The stored state of one render job (<c>jobs/{id}/job.json</c>).</summary>
public sealed class JobRecord
{
    /// <summary>The job id.</summary>
    public required string Id { get; set; }

    /// <summary>The run rendered.</summary>
    public required string RunId { get; set; }

    /// <summary>The checked request.</summary>
    public required RenderRequest Request { get; set; }

    /// <summary>The resolved kind (<c>video</c>, <c>gltf-step</c>, <c>gltf-timeline</c>, <c>frames</c>).</summary>
    public required string Kind { get; set; }

    /// <summary>The resolved format (<c>mp4</c>, <c>webm</c>, <c>png</c>, <c>webp</c>, <c>glb</c>, <c>zip</c>).</summary>
    public required string Format { get; set; }

    /// <summary><c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>canceled</c> (segments refine <c>running</c>).</summary>
    public string State { get; set; } = JobStates.Queued;

    /// <summary>Progress of the single-part phase (0..1); video jobs add their segments'.</summary>
    public double Progress { get; set; }

    /// <summary>Why the job failed.</summary>
    public string? Error { get; set; }

    /// <summary>The result's file name once written.</summary>
    public string? ResultFile { get; set; }

    /// <summary>The result's media type.</summary>
    public string? MediaType { get; set; }

    /// <summary>Frames of a video or frames job.</summary>
    public int TotalFrames { get; set; }

    /// <summary>Segments of a segmented video (0 when rendered in one part).</summary>
    public int SegmentCount { get; set; }

    /// <summary>Which worker ran the single-part phase or the stitch.</summary>
    public string? Worker { get; set; }

    /// <summary>When the job was created.</summary>
    public DateTimeOffset CreatedUtc { get; set; }

    /// <summary>When the first part started.</summary>
    public DateTimeOffset? StartedUtc { get; set; }

    /// <summary>When the job ended.</summary>
    public DateTimeOffset? FinishedUtc { get; set; }
}

/// <summary>The stored state of one frame range of a segmented video (<c>jobs/{id}/segments/NNNN.json</c>), written only by its worker.</summary>
public sealed class SegmentRecord
{
    /// <summary>The segment number, from 0.</summary>
    public int Index { get; set; }

    /// <summary>The first frame of the range.</summary>
    public int FirstFrame { get; set; }

    /// <summary>Frames in the range.</summary>
    public int FrameCount { get; set; }

    /// <summary>Frames rendered so far.</summary>
    public int FramesDone { get; set; }

    /// <summary><c>running</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public string State { get; set; } = JobStates.Running;

    /// <summary>The worker that rendered it (<c>host:pid</c> or the worker's name).</summary>
    public string? Worker { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }

    /// <summary>When the worker started it.</summary>
    public DateTimeOffset StartedUtc { get; set; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedUtc { get; set; }
}

/// <summary>The job states of the API.</summary>
public static class JobStates
{
    /// <summary>Waiting for a worker.</summary>
    public const string Queued = "queued";
    /// <summary>Being rendered.</summary>
    public const string Running = "running";
    /// <summary>The result can be downloaded.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>Ended with an error.</summary>
    public const string Failed = "failed";
    /// <summary>Canceled by a client.</summary>
    public const string Canceled = "canceled";

    /// <summary>True for a state that does not change any more.</summary>
    public static bool IsFinal(string state) => state is Succeeded or Failed or Canceled;
}
