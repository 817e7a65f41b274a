namespace NeuroCore.Visualization.Rendering;

/// <summary>Where one video frame sits in the run: between snapshot <c>Snapshot</c> and the next, at fraction <c>T</c>.</summary>
/// <param name="Frame">Frame index.</param>
/// <param name="Snapshot">Index of the earlier snapshot.</param>
/// <param name="T">Interpolation fraction towards snapshot <c>Snapshot + 1</c> (0 when holding).</param>
/// <param name="VideoTime">Frame time as a fraction of the whole video (0..1), for the camera path.</param>
internal readonly record struct FrameTime(int Frame, int Snapshot, float T, float VideoTime);
