namespace NeuroCore.Tests.Infrastructure;

/// <summary>Element-wise comparison with PyTorch-style tolerance: |got − want| ≤ atol + rtol·|want|.</summary>
public static class TensorAssert
{
    public static void Close(ReadOnlySpan<double> want, ReadOnlySpan<float> got, double rtol, double atol, string what)
    {
        Assert.True(want.Length == got.Length, $"{what}: expected {want.Length} values, got {got.Length}.");
        for (int i = 0; i < want.Length; i++)
        {
            double w = want[i], g = got[i];
            bool ok = double.IsNaN(w) ? double.IsNaN(g) : Math.Abs(g - w) <= atol + rtol * Math.Abs(w);
            if (!ok) Assert.Fail($"{what}: element {i} is {g}, expected {w} (rtol {rtol}, atol {atol}).");
        }
    }

    public static void Close(float[] want, Tensor got, double rtol = 1e-5, double atol = 1e-6, string what = "tensor") =>
        Close(Array.ConvertAll(want, v => (double)v), got.ToArray(), rtol, atol, what);

    public static void ShapeIs(Tensor t, params int[] shape) =>
        Assert.True(t.Shape.AsSpan().SequenceEqual(shape), $"shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", shape)}]");
}
