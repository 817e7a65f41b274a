namespace NeuroCore.Visualization.Rendering;

/// <summary>Maps snapshots onto a duration and frame rate: a hold on the first snapshot, an even sweep through the
/// snapshots (each gets the same screen time, so densely recorded early training is not rushed), a hold at the end.</summary>
internal static class TimelapseSchedule
{
    /// <summary>Plans <paramref name="frames"/> frames over <paramref name="snapshots"/> snapshots.</summary>
    public static FrameTime[] Plan(int snapshots, int frames, int holdStartFrames, int holdEndFrames)
    {
        if (snapshots < 1) throw new ArgumentException("Timelapse: the run has no snapshots; nothing to render.");
        if (frames < 1) throw new ArgumentException($"Timelapse: {frames} frames requested; need at least one (check --duration and --fps).");
        holdStartFrames = Math.Max(0, holdStartFrames);
        holdEndFrames = Math.Max(0, holdEndFrames);
        // Short videos give up the holds first: at least two frames must move when there is anything to move.
        int minMoving = snapshots > 1 ? Math.Min(frames, 2) : 0;
        while (holdStartFrames + holdEndFrames > frames - minMoving)
        {
            if (holdEndFrames >= holdStartFrames && holdEndFrames > 0) holdEndFrames--;
            else holdStartFrames--;
        }
        int moving = frames - holdStartFrames - holdEndFrames;
        var plan = new FrameTime[frames];
        for (int f = 0; f < frames; f++)
        {
            float videoTime = frames == 1 ? 0f : f / (float)(frames - 1);
            float position; // in snapshot units, 0 .. snapshots - 1
            if (snapshots == 1 || f < holdStartFrames) position = 0;
            else if (f >= holdStartFrames + moving) position = snapshots - 1;
            else
            {
                float u = moving == 1 ? 1f : (f - holdStartFrames) / (float)(moving - 1);
                position = u * (snapshots - 1);
            }
            int index = Math.Min((int)position, snapshots - 1);
            float t = position - index;
            if (index == snapshots - 1) t = 0;
            plan[f] = new FrameTime(f, index, t, videoTime);
        }
        return plan;
    }
}
