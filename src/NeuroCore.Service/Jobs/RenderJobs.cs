using System.Diagnostics;
using System.IO.Compression;
using Hangfire;
using NeuroCore.Service.Options;
using NeuroCore.Service.Runs;
using NeuroCore.Service.Storage;
using NeuroCore.Visualization.Gltf;
using NeuroCore.Visualization.Rendering;

namespace NeuroCore.Service.Jobs;

/// <summary>
/// The Hangfire jobs. Each is idempotent (a part already finished is not redone; a result appears by rename only), so a
/// job that Hangfire hands to another worker after a crash or a kill simply runs again.
/// </summary>
public sealed class RenderJobs(IRunStore runs, IArtifactStore artifacts, IBackgroundJobClient client, WorkerIdentity worker, ServiceLimits limits)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Renders a job in one part (glTF, frames, animated PNG/WebP).</summary>
    [AutomaticRetry(Attempts = 0)]
    public void Render(string jobId, CancellationToken cancellationToken)
    {
        var job = artifacts.LoadJob(jobId);
        if (job is null || JobStates.IsFinal(job.State) || artifacts.IsCanceled(jobId)) return;
        var plan = Plan(job);
        try
        {
            string folder = runs.GetRunFolder(job.RunId) ?? throw new RunRejectedException($"run '{job.RunId}' was deleted.");
            job.State = JobStates.Running;
            job.StartedUtc = DateTimeOffset.UtcNow;
            job.Worker = worker.Name;
            artifacts.SaveJob(job);
            string result = artifacts.ResultPath(jobId, plan.FileName);
            Directory.CreateDirectory(Path.GetDirectoryName(result)!);
            string temp = AtomicFiles.TempPathFor(result);
            var tick = Stopwatch.StartNew();
            void Report(double fraction)
            {
                if (tick.Elapsed < ProgressInterval) return;
                tick.Restart();
                if (artifacts.IsCanceled(jobId)) throw new OperationCanceledException("canceled");
                cancellationToken.ThrowIfCancellationRequested();
                job.Progress = Math.Round(fraction, 4);
                artifacts.SaveJob(job);
            }
            try
            {
                if (plan.Scene is { } scene) RenderScene(folder, plan, scene, temp);
                else RenderFrames(folder, plan, temp, Report, cancellationToken);
                File.Move(temp, result, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
                if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            }
            Finish(job, plan);
        }
        catch (OperationCanceledException) when (artifacts.IsCanceled(jobId)) { }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(job, e);
        }
    }

    /// <summary>Renders frames [first, first + count) of a segmented video into one closed-GOP segment; the segment that completes the set enqueues the stitch.</summary>
    [AutomaticRetry(Attempts = 0)]
    public void RenderSegment(string jobId, int index, CancellationToken cancellationToken)
    {
        var job = artifacts.LoadJob(jobId);
        if (job is null || JobStates.IsFinal(job.State) || artifacts.IsCanceled(jobId)) return;
        var plan = Plan(job);
        var (first, count) = SegmentRange(job, index);
        string segmentFile = SegmentPath(jobId, index, plan.Format);
        if (File.Exists(segmentFile))
        {
            // Finished before a crash cut its bookkeeping short: record it as done.
            var existing = artifacts.LoadSegments(jobId).FirstOrDefault(s => s.Index == index);
            if (existing is not null && existing.State != JobStates.Succeeded)
            {
                existing.State = JobStates.Succeeded;
                existing.FramesDone = count;
                existing.FinishedUtc ??= DateTimeOffset.UtcNow;
                artifacts.SaveSegment(jobId, existing);
            }
        }
        else
        {
            var record = new SegmentRecord { Index = index, FirstFrame = first, FrameCount = count, Worker = worker.Name, StartedUtc = DateTimeOffset.UtcNow };
            artifacts.SaveSegment(jobId, record);
            string temp = AtomicFiles.TempPathFor(segmentFile);
            try
            {
                string folder = runs.GetRunFolder(job.RunId) ?? throw new RunRejectedException($"run '{job.RunId}' was deleted.");
                var options = plan.Timelapse!;
                var renderer = new TimelapseRenderer(RunReader.Timelapse(folder, plan.MaxSnapshots), options);
                if (renderer.FrameCount != job.TotalFrames) throw new InvalidOperationException($"the run now plans {renderer.FrameCount} frames, not {job.TotalFrames}.");
                var tick = Stopwatch.StartNew();
                using (var pipe = VideoSegments.Start(plan.Format, temp, options.Width, options.Height, options.Fps, count))
                {
                    int done = 0;
                    renderer.RenderRange(first, count, (_, rgba) =>
                    {
                        pipe.Write(rgba);
                        done++;
                        if (tick.Elapsed < ProgressInterval) return;
                        tick.Restart();
                        if (artifacts.IsCanceled(jobId)) throw new OperationCanceledException("canceled");
                        record.FramesDone = done;
                        artifacts.SaveSegment(jobId, record);
                    }, null, cancellationToken);
                    pipe.Complete();
                }
                File.Move(temp, segmentFile, overwrite: false);
                record.FramesDone = count;
                record.State = JobStates.Succeeded;
                record.FinishedUtc = DateTimeOffset.UtcNow;
                artifacts.SaveSegment(jobId, record);
            }
            catch (OperationCanceledException) when (artifacts.IsCanceled(jobId)) { return; }
            catch (IOException) when (File.Exists(segmentFile))
            {
                // Another worker finished the same segment first (a re-queued job): its file stands.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                record.State = JobStates.Failed;
                record.Error = e.Message;
                record.FinishedUtc = DateTimeOffset.UtcNow;
                artifacts.SaveSegment(jobId, record);
                return;
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
        // Fan-in without batches: whichever segment sees every segment file present enqueues the stitch. Two that finish
        // together may both enqueue it; the stitch is idempotent, so the second finds the result and stops.
        bool all = Enumerable.Range(0, job.SegmentCount).All(k => File.Exists(SegmentPath(jobId, k, plan.Format)));
        if (all) client.Enqueue<RenderJobs>(j => j.Stitch(jobId, CancellationToken.None));
    }

    /// <summary>Joins the segments of a video without re-encoding and publishes the result.</summary>
    [AutomaticRetry(Attempts = 0)]
    public void Stitch(string jobId, CancellationToken cancellationToken)
    {
        var job = artifacts.LoadJob(jobId);
        if (job is null || JobStates.IsFinal(job.State) || artifacts.IsCanceled(jobId)) return;
        var plan = Plan(job);
        string result = artifacts.ResultPath(jobId, plan.FileName);
        try
        {
            if (!File.Exists(result))
            {
                var segments = Enumerable.Range(0, job.SegmentCount).Select(k => SegmentPath(jobId, k, plan.Format)).ToList();
                if (segments.FirstOrDefault(s => !File.Exists(s)) is { } missing) throw new FileNotFoundException($"segment file {Path.GetFileName(missing)} is missing.");
                Directory.CreateDirectory(Path.GetDirectoryName(result)!);
                string temp = AtomicFiles.TempPathFor(result);
                string list = Path.Combine(artifacts.WorkFolder(jobId), $"concat-{Guid.NewGuid():N}.txt");
                try
                {
                    VideoSegments.Stitch(segments, plan.Format, temp, list);
                    File.Move(temp, result, overwrite: true);
                }
                finally
                {
                    if (File.Exists(temp)) File.Delete(temp);
                    if (File.Exists(list)) File.Delete(list);
                }
            }
            job = artifacts.LoadJob(jobId) ?? job;
            if (JobStates.IsFinal(job.State)) return;
            job.Worker = worker.Name;
            Finish(job, plan);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Two stitches of one job can run at once (see RenderSegment); the first to finish publishes the result and
            // deletes the work folder under the other, whose failure then means nothing and must not overwrite the success.
            if (File.Exists(result) || artifacts.LoadJob(jobId) is { } now && JobStates.IsFinal(now.State)) return;
            Fail(job, e);
        }
    }

    /// <summary>The frame range of segment <paramref name="index"/>.</summary>
    public static (int First, int Count) SegmentRange(JobRecord job, int index)
    {
        int per = (job.TotalFrames + job.SegmentCount - 1) / job.SegmentCount;
        int first = index * per;
        return (first, Math.Min(per, job.TotalFrames - first));
    }

    private string SegmentPath(string jobId, int index, string format) =>
        Path.Combine(artifacts.WorkFolder(jobId), $"segment-{index:D4}.{format}");

    private RenderPlan Plan(JobRecord job) =>
        RenderPlan.TryCreate(job.Request, limits, out var error) ?? throw new InvalidOperationException(error);

    private void Finish(JobRecord job, RenderPlan plan)
    {
        job.State = JobStates.Succeeded;
        job.Progress = 1;
        job.ResultFile = plan.FileName;
        job.MediaType = plan.MediaType;
        job.FinishedUtc = DateTimeOffset.UtcNow;
        artifacts.SaveJob(job);
        // Segment files are no longer needed once the result exists.
        var work = Path.Combine(Path.GetDirectoryName(artifacts.ResultPath(job.Id, "x"))!, "..", "work");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    }

    private void Fail(JobRecord job, Exception e)
    {
        job.State = JobStates.Failed;
        job.Error = e.Message;
        job.FinishedUtc = DateTimeOffset.UtcNow;
        artifacts.SaveJob(job);
    }

    private static void RenderScene(string folder, RenderPlan plan, SceneOptions scene, string output)
    {
        var source = RunReader.Scene(folder);
        if (source.Steps.Count == 0) throw new RunRejectedException("the run has no snapshots yet.");
        if (scene.Probe > 0 && scene.Probe >= source.ProbeCount)
            throw new ArgumentException($"probe {scene.Probe}: the run recorded {source.ProbeCount} probe input(s).");
        // The exporter picks the container from the extension: write to a temporary .glb path.
        string glb = output + ".glb";
        try
        {
            if (plan.Kind == "gltf-timeline") GltfExporter.ExportTimeline(source, glb, scene);
            // A step the run did not record fails the job with the exporter's message naming the nearest recorded steps.
            else GltfExporter.ExportStep(source, plan.Step ?? source.Steps[^1], glb, scene);
            File.Move(glb, output, overwrite: true);
        }
        finally { if (File.Exists(glb)) File.Delete(glb); }
    }

    private static void RenderFrames(string folder, RenderPlan plan, string output, Action<double> report, CancellationToken cancellationToken)
    {
        var renderer = new TimelapseRenderer(RunReader.Timelapse(folder, plan.MaxSnapshots), plan.Timelapse);
        var progress = new InlineProgress(p => report(p.FramesDone / (double)Math.Max(1, p.TotalFrames)));
        if (plan.Kind == "frames")
        {
            string frames = output + ".d" + Path.DirectorySeparatorChar;
            try
            {
                renderer.Render(frames, progress, cancellationToken);
                ZipFile.CreateFromDirectory(frames, output, CompressionLevel.Fastest, includeBaseDirectory: false);
            }
            finally { if (Directory.Exists(frames)) Directory.Delete(frames, recursive: true); }
            return;
        }
        string ext = "." + plan.Format;
        string file = output + ext;
        try
        {
            renderer.Render(file, progress, cancellationToken);
            File.Move(file, output, overwrite: true);
        }
        finally { if (File.Exists(file)) File.Delete(file); }
    }

    private sealed class InlineProgress(Action<RenderProgress> report) : IProgress<RenderProgress>
    {
        public void Report(RenderProgress value) => report(value);
    }
}
