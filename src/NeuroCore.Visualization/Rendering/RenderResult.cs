using System.Collections.Concurrent;
using NeuroCore.Visualization.Encoding;

namespace NeuroCore.Visualization.Rendering;

/// <summary>What a render wrote.</summary>
/// <param name="OutputPath">The file (or folder of PNG frames) written.</param>
/// <param name="Format">The output format.</param>
/// <param name="Frames">Number of frames.</param>
/// <param name="Width">Frame width.</param>
/// <param name="Height">Frame height.</param>
/// <param name="Fps">Frames per second.</param>
public sealed record RenderResult(string OutputPath, OutputFormat Format, int Frames, int Width, int Height, double Fps);
