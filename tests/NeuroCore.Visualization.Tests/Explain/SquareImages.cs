using NeuroCore.NN;
using NeuroCore.Optim;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Visualization.Tests.Explain;

/// <summary>
/// A synthetic task whose answer sits in a known place: 16×16 noise images, class 1 when a bright 4×4 square
/// is somewhere on it, class 0 when not; and a tiny convnet trained on it (seeded, a few seconds).
/// </summary>
internal static class SquareImages
{
    public const int Size = 16, Square = 4;

    /// <summary>The tests sharing the trained model run one at a time: the analyses freeze its parameters while they run.</summary>
    public const string Collection = "square-model";

    /// <summary>An image with the square's top-left corner at (<paramref name="y"/>, <paramref name="x"/>), or none when y &lt; 0.</summary>
    public static float[] Image(Random rng, int y, int x)
    {
        var v = new float[Size * Size];
        for (int i = 0; i < v.Length; i++) v[i] = (float)rng.NextDouble() * 0.3f;
        if (y >= 0)
            for (int r = y; r < y + Square; r++)
                for (int c = x; c < x + Square; c++) v[r * Size + c] = 0.9f + 0.1f * (float)rng.NextDouble();
        return v;
    }

    public static (Tensor Images, Tensor Labels) Dataset(int count, int seed)
    {
        var rng = new Random(seed);
        var data = new float[count * Size * Size];
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            bool square = i % 2 == 0;
            var img = square ? Image(rng, rng.Next(Size - Square + 1), rng.Next(Size - Square + 1)) : Image(rng, -1, -1);
            Array.Copy(img, 0, data, i * Size * Size, img.Length);
            labels[i] = square ? 1 : 0;
        }
        return (Tensor.FromArray(data, count, 1, Size, Size), Tensor.FromArray(labels, count));
    }

    private static readonly Lazy<(Sequential Model, float Accuracy)> Trained = new(Train);

    /// <summary>The trained model (shared by the tests; trained once) and its accuracy on fresh images.</summary>
    public static (Sequential Model, float Accuracy) Model => Trained.Value;

    private static (Sequential, float) Train()
    {
        var g = new Generator(5);
        var model = new Sequential(
            new Conv2d(1, 8, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2),   // 16 → 8
            new Conv2d(8, 16, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2),  // 8 → 4
            new Flatten(), new Linear(16 * 4 * 4, 2, generator: g));
        var (x, y) = Dataset(512, seed: 1);
        var optimizer = new Adam(model.Parameters(), learningRate: 0.01f);
        var order = new Random(2);
        for (int epoch = 0; epoch < 8; epoch++)
        {
            var perm = Enumerable.Range(0, 512).OrderBy(_ => order.Next()).ToArray();
            for (int b = 0; b < 512; b += 32)
            {
                var idx = perm[b..(b + 32)];
                var xb = Tensor.FromArray(idx.SelectMany(i => x.Narrow(0, i, 1).ToArray()).ToArray(), 32, 1, Size, Size);
                var yb = Tensor.FromArray(idx.Select(i => y.GetLong(i)).ToArray(), 32);
                optimizer.ZeroGrad();
                F.CrossEntropy(model.Call(xb), yb).Backward();
                optimizer.Step();
            }
        }
        model.Eval();
        var (tx, ty) = Dataset(200, seed: 99);
        Tensor pred;
        using (Autograd.GradMode.NoGrad()) pred = model.Call(tx).ArgMax(1);
        int correct = Enumerable.Range(0, 200).Count(i => pred.GetLong(i) == ty.GetLong(i));
        return (model, correct / 200f);
    }
}
