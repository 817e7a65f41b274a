using NeuroCore.Layout;

namespace NeuroCore.Training;

/// <summary>Classification metrics computed outside the autograd graph.</summary>
public static class Metrics
{
    /// <summary>
    /// How many rows of <paramref name="logits"/> [N, C] have their largest entry (first on ties, like
    /// <c>argmax</c>) at the int64 class in <paramref name="targets"/> [N].
    /// </summary>
    public static int CorrectCount(Tensor logits, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (!IsClassification(logits, targets))
            throw new ArgumentException(
                $"Metrics: expected float32 logits [N, C] and int64 targets [N], got {logits.DType} {ShapeUtil.Format(logits.ShapeRef)} and {targets.DType} {ShapeUtil.Format(targets.ShapeRef)}.");
        var scores = logits.Detach().Contiguous().Span;
        var labels = targets.Detach().Contiguous().LongSpan;
        int n = logits.ShapeRef[0], c = logits.ShapeRef[1], correct = 0;
        for (int i = 0; i < n; i++)
        {
            var row = scores.Slice(i * c, c);
            int best = 0;
            for (int j = 1; j < c; j++)
                if (row[j] > row[best]) best = j;
            if (best == labels[i]) correct++;
        }
        return correct;
    }

    /// <summary>The fraction of rows whose arg-max equals the target class (0 for an empty batch).</summary>
    public static float Accuracy(Tensor logits, Tensor targets)
    {
        int correct = CorrectCount(logits, targets);
        int n = logits.ShapeRef[0];
        return n == 0 ? 0f : (float)correct / n;
    }

    /// <summary>True for float32 logits [N, C] with int64 class targets [N].</summary>
    public static bool IsClassification(Tensor output, Tensor targets) =>
        output.DType == DType.Float32 && output.Rank == 2 && targets.DType == DType.Int64 && targets.Rank == 1
        && targets.ShapeRef[0] == output.ShapeRef[0];
}
