using NeuroCore.Autograd;
using NeuroCore.NN;

namespace NeuroCore.Visualization.Explain;

/// <summary>One of a channel's strongest responses: which image, how strongly, and where.</summary>
/// <param name="ImageIndex">Index of the image in the pool searched.</param>
/// <param name="Activation">The channel's largest activation on that image.</param>
/// <param name="Y">Row of that activation in the feature map.</param>
/// <param name="X">Column of that activation in the feature map.</param>
/// <param name="Field">The receptive field of that unit in input pixels (y0, x0, y1, x1), clipped to the image.</param>
public sealed record ChannelHit(int ImageIndex, float Activation, int Y, int X, (int Y0, int X0, int Y1, int X1) Field);

/// <summary>
/// The images of a pool that excite each channel of a convolutional layer most (Zeiler &amp; Fergus's "top 9"),
/// with the receptive field of the strongest unit so the patch it saw can be outlined.
/// </summary>
public static class TopActivations
{
    /// <summary>
    /// For every channel of layer <paramref name="layerIndex"/>'s output (feature maps [N, C, h, w]), the
    /// <paramref name="top"/> images of <paramref name="images"/> [N, C, H, W] with the largest maximum activation.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ChannelHit>> Compute(Sequential model, Tensor images, int layerIndex, int top = 9, int batchSize = 128)
    {
        if (images.Rank != 4) throw new ArgumentException($"Top activations: images must be [N, C, H, W], got [{string.Join(", ", images.Shape)}].");
        if (layerIndex < 0 || layerIndex >= model.Count) throw new ArgumentOutOfRangeException(nameof(layerIndex), $"Top activations: layer {layerIndex} is not in 0..{model.Count - 1}.");
        int n = images.Size(0), imgH = images.Size(2), imgW = images.Size(3);
        var fields = ReceptiveField.Of(model, layerIndex);
        var best = new List<ChannelHit>[0];
        using (GradMode.NoGrad())
        {
            for (int start = 0; start < n; start += batchSize)
            {
                int count = Math.Min(batchSize, n - start);
                var maps = LayerRange.Run(model, images.Narrow(0, start, count).Contiguous(), 0, layerIndex + 1);
                if (maps.Rank != 4) throw new ArgumentException($"Top activations: layer {layerIndex} ({model[layerIndex].TypeName}) gives [{string.Join(", ", maps.Shape)}], not feature maps.");
                int c = maps.Size(1), h = maps.Size(2), w = maps.Size(3), hw = h * w;
                if (best.Length == 0) best = Enumerable.Range(0, c).Select(_ => new List<ChannelHit>()).ToArray();
                var v = maps.ToArray();
                for (int i = 0; i < count; i++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        int offset = (i * c + ch) * hw, arg = 0;
                        for (int k = 1; k < hw; k++) if (v[offset + k] > v[offset + arg]) arg = k;
                        int y = arg / w, x = arg % w;
                        best[ch].Add(new ChannelHit(start + i, v[offset + arg], y, x, fields.Clip(y, x, imgH, imgW)));
                    }
                // Keep only the leaders so memory stays O(C · top) whatever the pool size.
                for (int ch = 0; ch < best.Length; ch++)
                    if (best[ch].Count > 4 * top) best[ch] = [.. best[ch].OrderByDescending(hit => hit.Activation).Take(top)];
            }
        }
        return best.Select(list => (IReadOnlyList<ChannelHit>)list.OrderByDescending(hit => hit.Activation).Take(top).ToList()).ToList();
    }

    /// <summary>
    /// A grid with one row per channel and one column per hit: the receptive-field patch of each hit
    /// (<paramref name="patches"/>) or the whole image with the field outlined.
    /// </summary>
    public static byte[] RenderPng(Tensor images, IReadOnlyList<IReadOnlyList<ChannelHit>> hits, bool patches = true, int cellSize = 48)
    {
        var tiles = new List<ImageTile>();
        int columns = hits.Max(h => h.Count);
        foreach (var channel in hits)
            for (int j = 0; j < columns; j++)
            {
                if (j >= channel.Count) { tiles.Add(new ImageTile(1, 1, 1, [0f])); continue; }
                var hit = channel[j];
                var image = images.Narrow(0, hit.ImageIndex, 1).Contiguous();
                var (y0, x0, y1, x1) = hit.Field;
                tiles.Add(patches
                    ? ImageTile.FromImage(image.Narrow(2, y0, y1 - y0).Narrow(3, x0, x1 - x0).Contiguous())
                    : ImageTile.FromImage(image) with { Outline = hit.Field });
            }
        return ExplainImages.GridPng(tiles, columns, cellSize, cellSize);
    }
}

/// <summary>Receptive-field arithmetic through Conv2d and pooling layers: size, jump and start of a unit's field.</summary>
internal readonly record struct ReceptiveField(int Size, int Jump, double Start)
{
    /// <summary>The field of layer <paramref name="layerIndex"/>'s output units (layers without windows keep it).</summary>
    public static ReceptiveField Of(Sequential model, int layerIndex)
    {
        var f = new ReceptiveField(1, 1, 0.5);
        for (int i = 0; i <= layerIndex; i++)
        {
            (int k, int s, int p) = model[i] switch
            {
                Conv2d c => (c.KernelSize, c.Stride, c.Padding),
                MaxPool2d m => (m.KernelSize, m.Stride, 0),
                AvgPool2d a => (a.KernelSize, a.Stride, 0),
                _ => (1, 1, 0),
            };
            f = new ReceptiveField(f.Size + (k - 1) * f.Jump, f.Jump * s, f.Start + ((k - 1) / 2.0 - p) * f.Jump);
        }
        return f;
    }

    /// <summary>The input rectangle [y0, y1) × [x0, x1) seen by unit (y, x), clipped to the image.</summary>
    public (int Y0, int X0, int Y1, int X1) Clip(int y, int x, int height, int width)
    {
        double cy = Start + y * Jump, cx = Start + x * Jump, half = Size / 2.0;
        int y0 = Math.Clamp((int)Math.Floor(cy - half), 0, height - 1), x0 = Math.Clamp((int)Math.Floor(cx - half), 0, width - 1);
        int y1 = Math.Clamp((int)Math.Ceiling(cy + half), y0 + 1, height), x1 = Math.Clamp((int)Math.Ceiling(cx + half), x0 + 1, width);
        return (y0, x0, y1, x1);
    }
}
