using NeuroCore.Layout;

namespace NeuroCore.Data;

/// <summary>
/// Per-feature standardization (subtract the mean, divide by the standard deviation), like scikit-learn's
/// <c>StandardScaler</c>: fit the statistics on the training set, then apply the same ones to the test set.
/// </summary>
/// <remarks>
/// A feature is everything after the first (example) dimension, so images [N, 1, 28, 28] get one
/// mean/std per pixel. The standard deviation is the population one (divide by N), and a constant
/// feature keeps std 1 so it maps to 0 instead of dividing by zero.
/// </remarks>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>Creates a standardizer from known per-feature statistics (e.g. saved with a model).</summary>
    public Standardizer(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != std.Count)
            throw new ArgumentException($"Standardizer: {mean.Count} means but {std.Count} standard deviations.");
        for (int i = 0; i < std.Count; i++)
            if (!(std[i] > 0) || float.IsInfinity(std[i]))
                throw new ArgumentException($"Standardizer: standard deviation {std[i]} of feature {i} must be positive and finite.", nameof(std));
        _mean = mean.ToArray();
        _std = std.ToArray();
    }

    /// <summary>The per-feature means.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>The per-feature standard deviations (1 for constant features).</summary>
    public IReadOnlyList<float> Std => _std;

    /// <summary>The number of features (elements per example).</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Computes per-feature mean and std over the first dimension of float32 <paramref name="inputs"/> [N, …].</summary>
    public static Standardizer Fit(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.RequireFloat("Standardizer.Fit");
        if (inputs.Rank == 0 || inputs.ShapeRef[0] == 0)
            throw new ArgumentException($"Standardizer.Fit: need at least one example, got shape {ShapeUtil.Format(inputs.ShapeRef)}.");
        int n = inputs.ShapeRef[0];
        int f = inputs.Numel / n;
        var data = inputs.Contiguous().Span;
        // Two passes in double: the mean first, then squared deviations, which avoids the cancellation of E[x²] − E[x]².
        var sum = new double[f];
        for (int r = 0; r < n; r++)
        {
            var row = data.Slice(r * f, f);
            for (int j = 0; j < f; j++) sum[j] += row[j];
        }
        var mean = new double[f];
        for (int j = 0; j < f; j++) mean[j] = sum[j] / n;
        var sq = new double[f];
        for (int r = 0; r < n; r++)
        {
            var row = data.Slice(r * f, f);
            for (int j = 0; j < f; j++)
            {
                double d = row[j] - mean[j];
                sq[j] += d * d;
            }
        }
        var std = new float[f];
        for (int j = 0; j < f; j++)
        {
            double s = Math.Sqrt(sq[j] / n);
            // Below float resolution of the values the feature is constant; scikit-learn also leaves it unscaled.
            std[j] = s > 1e-7 * Math.Max(1, Math.Abs(mean[j])) ? (float)s : 1f;
        }
        return new Standardizer(Array.ConvertAll(mean, m => (float)m), std);
    }

    /// <summary>Fits on the inputs of <paramref name="dataset"/>.</summary>
    public static Standardizer Fit(TensorDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Fit(dataset.Inputs);
    }

    /// <summary>Returns (x − mean) / std for every example of <paramref name="inputs"/> [N, …] (a new tensor).</summary>
    public Tensor Transform(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.RequireFloat("Standardizer.Transform");
        int n = inputs.Rank == 0 ? 0 : inputs.ShapeRef[0];
        if (inputs.Rank == 0 || (n > 0 ? inputs.Numel / n : ShapeUtil.Numel(inputs.ShapeRef[1..])) != FeatureCount)
            throw new ArgumentException(
                $"Standardizer.Transform: inputs {ShapeUtil.Format(inputs.ShapeRef)} do not have the {FeatureCount} features per example it was fitted on.");
        var src = inputs.Contiguous().Span;
        var dst = new float[src.Length];
        int f = FeatureCount;
        for (int r = 0; r < n; r++)
            for (int j = 0; j < f; j++)
                dst[r * f + j] = (src[r * f + j] - _mean[j]) / _std[j];
        return new Tensor(dst, inputs.Shape);
    }

    /// <summary>A new dataset with standardized inputs and the same targets.</summary>
    public TensorDataset Transform(TensorDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new TensorDataset(Transform(dataset.Inputs), dataset.Targets);
    }
}
