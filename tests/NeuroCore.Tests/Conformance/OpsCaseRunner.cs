using System.Text.Json;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.Conformance;

/// <summary>Runs a kind "ops" case: the program, every step's value, and the input gradients.</summary>
public static class OpsCaseRunner
{
    public static void Run(JsonElement root)
    {
        var name = root.GetProperty("name").GetString();
        var (rtol, atol) = CaseFile.ReadTolerance(root);
        var env = new Dictionary<string, Tensor>();
        foreach (var input in root.GetProperty("inputs").EnumerateObject())
        {
            var t = CaseFile.ReadTensor(input.Value);
            if (input.Value.TryGetProperty("requires_grad", out var rg) && rg.GetBoolean()) t.RequiresGrad = true;
            env[input.Name] = t;
        }
        foreach (var step in root.GetProperty("program").EnumerateArray())
        {
            var op = step.GetProperty("op").GetString()!;
            var args = step.GetProperty("inputs").EnumerateArray().Select(a => env[a.GetString()!]).ToArray();
            var attrs = step.TryGetProperty("attrs", out var at) && at.ValueKind == JsonValueKind.Object ? at : default;
            env[step.GetProperty("out").GetString()!] = Apply(op, args, attrs);
        }
        var values = root.GetProperty("values");
        foreach (var v in values.EnumerateObject())
            CaseFile.AssertMatches(v.Value, env[v.Name], rtol, atol, $"{name}: value '{v.Name}'");

        var loss = env[root.GetProperty("loss").GetString()!];
        loss.Backward();
        foreach (var g in root.GetProperty("grads").EnumerateObject())
        {
            var grad = env[g.Name].Grad;
            Assert.True(grad is not null, $"{name}: input '{g.Name}' got no gradient.");
            CaseFile.AssertMatches(g.Value, grad!, rtol, atol, $"{name}: grad of '{g.Name}'");
        }
    }

    private static Tensor Apply(string op, Tensor[] a, JsonElement attrs)
    {
        int Int(string key) => attrs.GetProperty(key).GetInt32();
        float Float(string key) => (float)attrs.GetProperty(key).GetDouble();
        bool Has(string key) => attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;
        bool KeepDim() => Has("keepdim") && attrs.GetProperty("keepdim").GetBoolean();
        int[] Ints(string key) => attrs.GetProperty(key).EnumerateArray().Select(x => x.GetInt32()).ToArray();

        return op switch
        {
            "add" => a[0] + a[1],
            "sub" => a[0] - a[1],
            "mul" => a[0] * a[1],
            "div" => a[0] / a[1],
            "pow" => a[0].Pow(Float("exponent")),
            "neg" => a[0].Neg(),
            "exp" => a[0].Exp(),
            "log" => a[0].Log(),
            "sqrt" => a[0].Sqrt(),
            "abs" => a[0].Abs(),
            "tanh" => a[0].Tanh(),
            "sigmoid" => a[0].Sigmoid(),
            "relu" => a[0].Relu(),
            "softplus" => a[0].Softplus(),
            "leaky_relu" => a[0].LeakyRelu(Float("negative_slope")),
            "gelu" => a[0].Gelu(attrs.GetProperty("approximate").GetString() switch
            {
                "none" => GeluApproximation.None,
                "tanh" => GeluApproximation.Tanh,
                var s => throw new NotSupportedException($"gelu approximate '{s}'"),
            }),
            "matmul" => a[0].MatMul(a[1]),
            "linear" => F.Linear(a[0], a[1], a.Length > 2 ? a[2] : null),
            "sum" => Has("dim") ? a[0].Sum(Int("dim"), KeepDim()) : a[0].Sum(),
            "mean" => Has("dim") ? a[0].Mean(Int("dim"), KeepDim()) : a[0].Mean(),
            "max" => a[0].Max(Int("dim"), KeepDim()),
            "softmax" => a[0].Softmax(Int("dim")),
            "log_softmax" => a[0].LogSoftmax(Int("dim")),
            "reshape" => a[0].Reshape(Ints("shape")),
            "transpose" => a[0].Transpose(Int("dim0"), Int("dim1")),
            "permute" => a[0].Permute(Ints("dims")),
            "narrow" => a[0].Narrow(Int("dim"), Int("start"), Int("length")),
            "concat" => Tensor.Concat(a, Has("dim") ? Int("dim") : 0),
            "conv2d" => F.Conv2d(a[0], a[1], a.Length > 2 ? a[2] : null,
                Has("stride") ? Int("stride") : 1, Has("padding") ? Int("padding") : 0),
            "max_pool2d" => F.MaxPool2d(a[0], Int("kernel_size"), Has("stride") ? Int("stride") : null),
            "avg_pool2d" => F.AvgPool2d(a[0], Int("kernel_size"), Has("stride") ? Int("stride") : null),
            "cross_entropy" => F.CrossEntropy(a[0], a[1]),
            "mse_loss" => F.MseLoss(a[0], a[1]),
            "bce_with_logits" => F.BinaryCrossEntropyWithLogits(a[0], a[1]),
            "embedding" => F.Embedding(a[0], a[1]),
            "layer_norm" => F.LayerNorm(a[0], a[1], a[2], Has("eps") ? Float("eps") : 1e-5f),
            "batch_norm" => F.BatchNorm(a[0], null, null, a[1], a[2], training: true, eps: Has("eps") ? Float("eps") : 1e-5f),
            _ => throw new NotSupportedException($"Conformance op '{op}' is not known to the runner."),
        };
    }
}
