namespace NeuroCore.Visualization.Rendering;

/// <summary>The inputs whose mean activations make neurons glow: the probe image, the recorded probe, the 2-D points, or fixed random inputs.</summary>
internal static class ProbeInputs
{
    /// <summary>The glow inputs of <paramref name="data"/> as one batch [N, inputs].</summary>
    public static Tensor For(TimelapseData data)
    {
        int nIn = data.LayerSizes[0];
        if (data.ProbeImage is { } image) return Tensor.FromArray(image, 1, nIn);
        if (data.ProbeInputs is { Count: > 0 } given)
        {
            var rows = given.Take(64).ToArray();
            return Tensor.FromArray([.. rows.SelectMany(r => r)], rows.Length, nIn);
        }
        if (data.Points is { } pts)
        {
            int n = pts.Length / 2;
            int take = Math.Min(48, n);
            var list = new float[take * 2];
            for (int i = 0; i < take; i++)
            {
                int p = (int)((long)i * n / take);
                list[2 * i] = pts[2 * p];
                list[2 * i + 1] = pts[2 * p + 1];
            }
            return Tensor.FromArray(list, take, 2);
        }
        // No data: a fixed, seeded batch of standard-normal inputs from the core's generator, so glows are reproducible.
        return Tensor.Randn([16, nIn], new Generator(1234));
    }
}
