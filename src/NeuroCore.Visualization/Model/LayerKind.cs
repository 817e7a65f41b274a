namespace NeuroCore.Visualization.Model;

/// <summary>What a layer of the drawn network is, which decides how it is laid out and connected.</summary>
public enum LayerKind
{
    /// <summary>The network's input: a vector (<c>[N]</c>), an image (<c>[H, W]</c>) or image channels (<c>[C, H, W]</c>).</summary>
    Input,

    /// <summary>A fully connected layer of <c>[N]</c> neurons with a weight matrix <c>[N, inputs]</c> (PyTorch's Linear layout).</summary>
    Dense,

    /// <summary>A 2-D convolution producing <c>[C, H, W]</c> feature maps, weights <c>[C, inC, kH, kW]</c>.</summary>
    Conv2d,

    /// <summary>A layer without weights that changes the shape (pooling): drawn, but not connected.</summary>
    Pool2d,
}
