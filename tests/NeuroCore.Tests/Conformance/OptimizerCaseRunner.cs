using System.Text.Json;
using NeuroCore.Optim;

namespace NeuroCore.Tests.Conformance;

/// <summary>Runs a kind "optimizer" case: one step per given gradient, compared with torch.optim.</summary>
public static class OptimizerCaseRunner
{
    public static void Run(JsonElement root)
    {
        var name = root.GetProperty("name").GetString();
        var (rtol, atol) = CaseFile.ReadTolerance(root);
        var param = CaseFile.ReadTensor(root.GetProperty("param"));
        param.RequiresGrad = true;
        var optimizer = Create(root.GetProperty("optimizer").GetString()!, root.GetProperty("hyper"), param);
        var grads = root.GetProperty("grads").EnumerateArray().ToArray();
        var expected = root.GetProperty("expected").EnumerateArray().ToArray();
        Assert.Equal(grads.Length, expected.Length);
        for (int i = 0; i < grads.Length; i++)
        {
            param.Grad = CaseFile.ReadTensor(grads[i]);
            optimizer.Step();
            CaseFile.AssertMatches(expected[i], param, rtol, atol, $"{name}: parameter after step {i}");
        }
    }

    /// <summary>Builds the optimizer named in a case from torch.optim-style hyper-parameters.</summary>
    public static Optimizer Create(string kind, JsonElement hyper, params Tensor[] parameters)
    {
        float Get(string key, float fallback) =>
            hyper.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? (float)v.GetDouble() : fallback;
        (float B1, float B2) Betas()
        {
            if (!hyper.TryGetProperty("betas", out var b)) return (0.9f, 0.999f);
            var arr = b.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
            return (arr[0], arr[1]);
        }
        float lr = Get("lr", 1e-3f);
        switch (kind)
        {
            case "sgd":
                return new SGD(parameters, lr, Get("momentum", 0), Get("dampening", 0), Get("weight_decay", 0),
                    hyper.TryGetProperty("nesterov", out var n) && n.GetBoolean());
            case "adam":
            {
                var (b1, b2) = Betas();
                return new Adam(parameters, lr, b1, b2, Get("eps", 1e-8f), Get("weight_decay", 0));
            }
            case "adamw":
            {
                var (b1, b2) = Betas();
                return new AdamW(parameters, lr, b1, b2, Get("eps", 1e-8f), Get("weight_decay", 0.01f));
            }
            default:
                throw new NotSupportedException($"Conformance optimizer '{kind}' is not known to the runner.");
        }
    }
}
