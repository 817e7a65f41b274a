using NeuroCore.Data;

namespace NeuroCore.Snapshots;

/// <summary>The probe batch of a run: fixed inputs and, for classification, their labels.</summary>
/// <param name="Inputs">Probe inputs, [P, …].</param>
/// <param name="Labels">Labels [P] (int64 classes) or [P, …] float targets, or null.</param>
public sealed record ProbeBatch(Tensor Inputs, Tensor? Labels)
{
    /// <summary>Number of probe examples.</summary>
    public int Count => Inputs.Rank == 0 ? 1 : Inputs.Size(0);

    /// <summary>
    /// Picks <paramref name="count"/> examples of <paramref name="dataset"/> as a probe batch. With int64
    /// class targets the picks cycle through the classes (so every class is represented when
    /// <paramref name="count"/> allows); within a class they are drawn in a seeded random order.
    /// </summary>
    public static ProbeBatch FromDataset(IDataset dataset, int count = 8, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0) throw new ArgumentException("ProbeBatch.FromDataset: the dataset is empty.", nameof(dataset));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        count = Math.Min(count, dataset.Count);

        var order = Enumerable.Range(0, dataset.Count).ToArray();
        new Generator(seed).Shuffle(order.AsSpan());
        var examples = order.Select(i => (Index: i, Example: dataset[i])).ToList();

        List<(Tensor Input, Tensor Target)> picked;
        if (examples[0].Example.Target is { DType: DType.Int64, Numel: 1 })
        {
            // Round-robin over classes in ascending class order, so the probe is balanced and stable.
            var byClass = examples.GroupBy(e => e.Example.Target.ToLongArray()[0]).OrderBy(g => g.Key)
                .Select(g => new Queue<(Tensor, Tensor)>(g.Select(e => e.Example))).ToList();
            picked = [];
            while (picked.Count < count)
                foreach (var q in byClass)
                    if (picked.Count < count && q.Count > 0) picked.Add(q.Dequeue());
        }
        else picked = examples.Take(count).Select(e => e.Example).ToList();

        var inputs = Stack(picked.Select(p => p.Input).ToList());
        var first = picked[0].Target;
        Tensor labels = first.DType == DType.Int64
            ? Tensor.FromArray(picked.SelectMany(p => p.Target.ToLongArray()).ToArray(), [picked.Count, .. first.Shape])
            : Stack(picked.Select(p => p.Target).ToList());
        return new ProbeBatch(inputs, labels);
    }

    private static Tensor Stack(List<Tensor> items)
    {
        var shape = items[0].Shape;
        var data = new float[items.Count * items[0].Numel];
        for (int i = 0; i < items.Count; i++)
        {
            if (!items[i].Shape.AsSpan().SequenceEqual(shape))
                throw new ArgumentException($"ProbeBatch.FromDataset: examples have different shapes ({Layout.ShapeUtil.Format(shape)} and {Layout.ShapeUtil.Format(items[i].ShapeRef)}).");
            items[i].ToArray().CopyTo(data, i * items[0].Numel);
        }
        return Tensor.FromArray(data, [items.Count, .. shape]);
    }
}
