using System.Globalization;
using NeuroCore.NN;

namespace NeuroCore.Viewer.Playground;

/// <summary>
/// What a person sets up in the playground (also its URL query: <c>?dataset=spiral&amp;noise=0.2&amp;layers=16,16&amp;…</c>).
/// </summary>
public sealed record PlaygroundConfig
{
    /// <summary>The datasets offered: the 2-D toy sets and scikit-learn's 8×8 digits.</summary>
    public static readonly IReadOnlyList<string> Datasets = ["spiral", "moons", "circles", "xor", "blobs", "digits"];

    /// <summary>
    /// The activation functions offered, as the page and its URLs spell them (kebab case); each is a name
    /// <see cref="ActivationFunctions.TryParse"/> reads, so the module comes from the core's one table.
    /// </summary>
    public static readonly IReadOnlyList<string> Activations = ["tanh", "relu", "sigmoid", "leaky-relu", "gelu"];

    /// <summary>The activation function an offered name (<see cref="Activations"/>) stands for.</summary>
    /// <exception cref="ArgumentException">The name is not offered.</exception>
    public static ActivationFunction ActivationOf(string name) =>
        Activations.Contains(name) && ActivationFunctions.TryParse(name, out var function) && function.HasModule() ? function
            : throw new ArgumentException($"activation: '{name}' is not one of {string.Join(", ", Activations)}.");

    /// <summary>The optimizers offered.</summary>
    public static readonly IReadOnlyList<string> Optimizers = ["adam", "sgd", "adamw"];

    /// <summary>Dataset name (see <see cref="Datasets"/>); default spiral.</summary>
    public string Dataset { get; init; } = "spiral";

    /// <summary>Noise of the toy sets (0–1; ignored for digits); default 0.1.</summary>
    public double Noise { get; init; } = 0.1;

    /// <summary>Hidden layer sizes, 0–6 layers of 1–64 neurons; default 16, 16.</summary>
    public IReadOnlyList<int> Layers { get; init; } = [16, 16];

    /// <summary>Activation after each hidden layer; default tanh.</summary>
    public string Activation { get; init; } = "tanh";

    /// <summary>Optimizer; default adam.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Learning rate (0, 10]; default 0.03.</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>Mini-batch size 1–512; default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Weight decay [0, 1]; default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Seed of the data and the initial weights; default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every field; the message names the field and the allowed range.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        static void Fail(string field, string what) => throw new ArgumentException($"{field}: {what}.");
        if (!Datasets.Contains(Dataset)) Fail("dataset", $"'{Dataset}' is not one of {string.Join(", ", Datasets)}");
        if (!(Noise >= 0 && Noise <= 1)) Fail("noise", $"{Noise.ToString(CultureInfo.InvariantCulture)} is not in [0, 1]");
        if (Layers is null || Layers.Count > 6) Fail("layers", "between 0 and 6 hidden layers are allowed");
        foreach (var n in Layers!) if (n is < 1 or > 64) Fail("layers", $"a hidden layer has {n} neurons; 1 to 64 are allowed");
        if (!Activations.Contains(Activation)) Fail("activation", $"'{Activation}' is not one of {string.Join(", ", Activations)}");
        if (!Optimizers.Contains(Optimizer)) Fail("optimizer", $"'{Optimizer}' is not one of {string.Join(", ", Optimizers)}");
        if (!(LearningRate > 0 && LearningRate <= 10)) Fail("learningRate", $"{LearningRate.ToString(CultureInfo.InvariantCulture)} is not in (0, 10]");
        if (BatchSize is < 1 or > 512) Fail("batchSize", $"{BatchSize} is not in 1..512");
        if (!(WeightDecay >= 0 && WeightDecay <= 1)) Fail("weightDecay", $"{WeightDecay.ToString(CultureInfo.InvariantCulture)} is not in [0, 1]");
    }
}
