using System.Globalization;
using NeuroCore.Autograd;
using NeuroCore.NN;

namespace NeuroCore.Embeddings;

/// <summary>
/// A layer's output over rows of data, computed by running a network forward ("a model plus data"): the rows
/// are reshaped to the network's input shape and passed, in batches, through the <see cref="Sequential"/>'s
/// layers one by one up to the named one, in evaluation mode under <see cref="GradMode.NoGrad"/>.
/// </summary>
public static class NetworkActivations
{
    /// <summary>Rows run through the network at once: bounds the memory of the intermediate activations.</summary>
    public const int BatchSize = 256;

    /// <summary>
    /// The output of the child named <paramref name="layer"/> (its <see cref="Module.NamedChildren"/> name, e.g. "1")
    /// of <paramref name="network"/> for every row of <paramref name="rows"/>, flattened to one row per input.
    /// </summary>
    /// <param name="network">The network (its training/evaluation mode is restored afterwards).</param>
    /// <param name="layer">The child whose output to take.</param>
    /// <param name="rows">The inputs, one flattened example per row.</param>
    /// <param name="inputShape">The shape of one example (e.g. [1, 28, 28] or [784]); its product must equal the rows' width.</param>
    /// <param name="cancellation">Checked between batches.</param>
    /// <exception cref="ArgumentException">The layer is unknown (the message lists the children), the rows' width does not match the input shape, or the layer's output is not finite.</exception>
    public static EmbeddingInput Capture(Sequential network, string layer, EmbeddingInput rows, IReadOnlyList<int> inputShape, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(inputShape);
        var children = network.NamedChildren().Select(c => c.Name).ToList();
        int last = children.IndexOf(layer);
        if (last < 0)
            throw new ArgumentException($"The network has no layer named '{layer}'; its layers are {string.Join(", ", network.NamedChildren().Select(c => $"{c.Name} ({c.Module.TypeName})"))}.");
        long width = inputShape.Aggregate(1L, (a, b) => a * b);
        if (inputShape.Count == 0 || inputShape.Any(s => s < 1))
            throw new ArgumentException($"The network's input shape [{string.Join(", ", inputShape)}] is not a shape of positive sizes.");
        if (width != rows.Dimensions)
            throw new ArgumentException(
                $"The data has {rows.Dimensions} values per row but the network takes {width} ({Shape(inputShape)} per example); give data of the kind the run was trained on.");
        var modes = network.NamedModules().Select(m => (m.Module, m.Module.IsTraining)).ToList();
        float[]? output = null;
        int perRow = 0;
        try
        {
            network.Eval();
            using var _ = GradMode.NoGrad();
            for (int start = 0; start < rows.Count; start += BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                int n = Math.Min(BatchSize, rows.Count - start);
                var x = Tensor.FromArray(rows.Data.AsSpan(start * rows.Dimensions, n * rows.Dimensions).ToArray(), [n, .. inputShape]);
                for (int i = 0; i <= last; i++) x = network[i].Call(x);
                var values = x.ToArray();
                if (output is null)
                {
                    perRow = values.Length / n;
                    if (perRow < 1) throw new ArgumentException($"Layer '{layer}' produced no values per example (output shape [{string.Join(", ", x.Shape)}]).");
                    output = new float[(long)rows.Count * perRow <= Array.MaxLength ? rows.Count * perRow : throw new ArgumentException($"Layer '{layer}' outputs {perRow} values per example: {rows.Count} rows would not fit in one array; use fewer rows.")];
                }
                values.CopyTo(output, (long)start * perRow);
            }
        }
        finally
        {
            // Parents first: Train(mode) recurses, so later (deeper) entries restore mixed modes correctly.
            foreach (var (m, training) in modes) m.Train(training);
        }
        try
        {
            return EmbeddingInput.FromRows(output!, rows.Count, perRow);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Layer '{layer}''s output over the data is not usable: {e.Message}", e);
        }
    }

    private static string Shape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]";
}
