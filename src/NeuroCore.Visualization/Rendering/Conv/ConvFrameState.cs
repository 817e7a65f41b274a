namespace NeuroCore.Visualization.Rendering.Conv;

/// <summary>One feature-map stack of a frame: a layer's output on the probe image, [channels, height, width].</summary>
/// <param name="Name">The layer (e.g. <c>1 · ReLU after conv 0</c>).</param>
/// <param name="Channels">Channels.</param>
/// <param name="Height">Map height.</param>
/// <param name="Width">Map width.</param>
/// <param name="Values">Row-major values, channel first.</param>
/// <param name="IsConv">True for a convolution's output (the grid panels show those), false for pooling.</param>
internal sealed record FeatureStack(string Name, int Channels, int Height, int Width, float[] Values, bool IsConv);

/// <summary>What a convolutional frame shows, computed by a real forward pass of the interpolated network.</summary>
internal sealed class ConvFrameState
{
    public List<FeatureStack> Stacks { get; } = [];

    /// <summary>Dense layers' outputs on the probe (the vector layers of the 3-D view), last = logits.</summary>
    public List<float[]> Vectors { get; } = [];

    /// <summary>Softmax of the network's output on the probe.</summary>
    public float[] Probabilities { get; set; } = [];

    /// <summary>First convolution's weights [out, in, k, k] (in channels averaged), null without a convolution.</summary>
    public float[]? Filters { get; set; }
    public int FilterCount { get; set; }
    public int FilterSize { get; set; }
}
