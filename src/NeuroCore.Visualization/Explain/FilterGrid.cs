using NeuroCore.NN;

namespace NeuroCore.Visualization.Explain;

/// <summary>The filters of a convolution as small images, as Zeiler &amp; Fergus show a first layer.</summary>
public static class FilterGrid
{
    /// <summary>
    /// One image per output channel of <paramref name="conv"/>, each k × k: grey for one input channel, RGB for
    /// three, otherwise the mean over input channels. Each filter is scaled on its own to use the full range
    /// with zero at mid-grey (symmetric about 0), so the sign of every weight stays readable.
    /// </summary>
    public static IReadOnlyList<ImageTile> Filters(Conv2d conv)
    {
        var w = conv.Weight.ToArray();
        int cout = conv.OutChannels, cin = conv.InChannels, k = conv.KernelSize, kk = k * k;
        var tiles = new List<ImageTile>(cout);
        for (int o = 0; o < cout; o++)
        {
            int channels = cin == 3 ? 3 : 1;
            var values = new float[channels * kk];
            for (int i = 0; i < kk; i++)
            {
                if (cin == 3)
                    for (int ch = 0; ch < 3; ch++) values[ch * kk + i] = w[(o * cin + ch) * kk + i];
                else
                {
                    float sum = 0;
                    for (int ch = 0; ch < cin; ch++) sum += w[(o * cin + ch) * kk + i];
                    values[i] = sum / cin;
                }
            }
            float scale = values.Max(MathF.Abs);
            for (int i = 0; i < values.Length; i++) values[i] = scale > 0 ? 0.5f + 0.5f * values[i] / scale : 0.5f;
            tiles.Add(new ImageTile(channels, k, k, values));
        }
        return tiles;
    }

    /// <summary>The PNG of <paramref name="conv"/>'s filters in a grid (<paramref name="cellSize"/> pixels per filter).</summary>
    public static byte[] RenderPng(Conv2d conv, int cellSize = 32, int? columns = null)
    {
        var tiles = Filters(conv);
        return ExplainImages.GridPng(tiles, columns ?? (int)Math.Ceiling(Math.Sqrt(tiles.Count)), cellSize, cellSize);
    }
}
