namespace NeuroCore.NN;

/// <summary>
/// An activation function as the library names it everywhere: in the training-run manifest, on the
/// command line and when a recorded network is rebuilt. <see cref="ActivationFunctions"/> holds the one
/// table that maps each value to its name, its module type and its module.
/// </summary>
public enum ActivationFunction
{
    /// <summary>max(x, 0) (<see cref="ReLU"/>).</summary>
    Relu,
    /// <summary>x for x ≥ 0, slope·x otherwise (<see cref="LeakyReLU"/>).</summary>
    LeakyRelu,
    /// <summary>Hyperbolic tangent (<see cref="NN.Tanh"/>).</summary>
    Tanh,
    /// <summary>Logistic sigmoid (<see cref="NN.Sigmoid"/>).</summary>
    Sigmoid,
    /// <summary>Gaussian error linear unit (<see cref="GELU"/>).</summary>
    Gelu,
    /// <summary>Softmax along a dimension (<see cref="NN.Softmax"/>).</summary>
    Softmax,
    /// <summary>Log-softmax along a dimension (<see cref="NN.LogSoftmax"/>).</summary>
    LogSoftmax,
    /// <summary>min(max(x, 0), 6): named so runs of user modules keep their activation (no core module).</summary>
    Relu6,
    /// <summary>x·sigmoid(x), also called swish (no core module).</summary>
    Silu,
    /// <summary>Exponential linear unit (no core module).</summary>
    Elu,
    /// <summary>Scaled exponential linear unit (no core module).</summary>
    Selu,
    /// <summary>log(1 + eˣ) (no core module).</summary>
    Softplus,
    /// <summary>x·tanh(softplus(x)) (no core module).</summary>
    Mish,
    /// <summary>Clamp to [−1, 1] (no core module).</summary>
    Hardtanh,
}

/// <summary>
/// The table of <see cref="ActivationFunction"/>s: snake-case names (the manifest's and the CLI's), the
/// module type names that implement them and the core module for each. The only place activation
/// names are spelled.
/// </summary>
public static class ActivationFunctions
{
    private sealed record Row(ActivationFunction Function, string Name, string[] TypeNames, Func<IReadOnlyDictionary<string, object?>, Module>? Create);

    private static readonly Row[] Table =
    [
        new(ActivationFunction.Relu, "relu", ["ReLU"], _ => new ReLU()),
        new(ActivationFunction.LeakyRelu, "leaky_relu", ["LeakyReLU"], c => new LeakyReLU(Float(c, "negative_slope", 0.01f))),
        new(ActivationFunction.Tanh, "tanh", ["Tanh"], _ => new NN.Tanh()),
        new(ActivationFunction.Sigmoid, "sigmoid", ["Sigmoid"], _ => new NN.Sigmoid()),
        new(ActivationFunction.Gelu, "gelu", ["GELU"], c => new GELU(c.TryGetValue("approximate", out var a) && a is "tanh" ? GeluApproximation.Tanh : GeluApproximation.None)),
        new(ActivationFunction.Softmax, "softmax", ["Softmax"], c => new NN.Softmax(Int(c, "dim", -1))),
        new(ActivationFunction.LogSoftmax, "log_softmax", ["LogSoftmax"], c => new NN.LogSoftmax(Int(c, "dim", -1))),
        new(ActivationFunction.Relu6, "relu6", ["ReLU6"], null),
        new(ActivationFunction.Silu, "silu", ["SiLU", "Swish"], null),
        new(ActivationFunction.Elu, "elu", ["ELU"], null),
        new(ActivationFunction.Selu, "selu", ["SELU"], null),
        new(ActivationFunction.Softplus, "softplus", ["Softplus"], null),
        new(ActivationFunction.Mish, "mish", ["Mish"], null),
        new(ActivationFunction.Hardtanh, "hardtanh", ["Hardtanh"], null),
    ];

    /// <summary>Every activation function, in table order.</summary>
    public static IReadOnlyList<ActivationFunction> All { get; } = [.. Table.Select(r => r.Function)];

    /// <summary>The snake-case name (<c>leaky_relu</c>), as written in manifests.</summary>
    public static string Name(this ActivationFunction function) => RowOf(function).Name;

    /// <summary>
    /// Parses a name in any of the spellings users and files use: snake case (<c>leaky_relu</c>), kebab case
    /// (<c>leaky-relu</c>), the module type (<c>LeakyReLU</c>); case-insensitive. Returns false for other names.
    /// </summary>
    public static bool TryParse(string? name, out ActivationFunction function)
    {
        var key = Key(name);
        foreach (var row in Table)
            if (Key(row.Name) == key || row.TypeNames.Any(t => Key(t) == key))
            {
                function = row.Function;
                return true;
            }
        function = default;
        return false;
    }

    /// <summary>The activation a module type implements (<c>LeakyReLU</c> → <see cref="ActivationFunction.LeakyRelu"/>), or null for other modules.</summary>
    public static ActivationFunction? FromTypeName(string typeName)
    {
        var key = Key(typeName);
        foreach (var row in Table)
            if (row.TypeNames.Any(t => Key(t) == key)) return row.Function;
        return null;
    }

    /// <summary>True when the core has a module for <paramref name="function"/> (so a recorded network using it can be rebuilt).</summary>
    public static bool HasModule(this ActivationFunction function) => RowOf(function).Create is not null;

    /// <summary>
    /// The core module computing <paramref name="function"/>, configured from a recorded module config
    /// (<c>negative_slope</c>, <c>approximate</c>, <c>dim</c>); missing settings take PyTorch's defaults.
    /// </summary>
    /// <exception cref="NotSupportedException">The core has no module for this function.</exception>
    public static Module CreateModule(this ActivationFunction function, IReadOnlyDictionary<string, object?>? config = null)
    {
        var row = RowOf(function);
        return row.Create is { } create ? create(config ?? new Dictionary<string, object?>())
            : throw new NotSupportedException($"The NeuroCore core has no {row.TypeNames[0]} module ({row.Name}); supported: {string.Join(", ", Table.Where(r => r.Create is not null).Select(r => r.Name))}.");
    }

    private static Row RowOf(ActivationFunction function) =>
        Array.Find(Table, r => r.Function == function) ?? throw new ArgumentOutOfRangeException(nameof(function), function, "Not an activation function.");

    private static string Key(string? name) => new string((name ?? "").Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    private static float Float(IReadOnlyDictionary<string, object?> c, string key, float fallback) =>
        c.TryGetValue(key, out var v) && v is IConvertible n ? Convert.ToSingle(n, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    private static int Int(IReadOnlyDictionary<string, object?> c, string key, int fallback) =>
        c.TryGetValue(key, out var v) && v is IConvertible n ? Convert.ToInt32(n, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
