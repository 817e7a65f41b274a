using System.Text.Json;
using NeuroCore.NN;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.Conformance;

/// <summary>Runs a kind "training" case: a whole MLP trained with Adam, losses and final weights compared.</summary>
public static class TrainingCaseRunner
{
    public static void Run(JsonElement root)
    {
        var name = root.GetProperty("name").GetString();
        var (rtol, atol) = CaseFile.ReadTolerance(root);
        var inputs = root.GetProperty("inputs");
        var x = CaseFile.ReadTensor(inputs.GetProperty("x"));
        var y = CaseFile.ReadTensor(inputs.GetProperty("y"));

        var initial = root.GetProperty("initial").EnumerateObject().ToDictionary(p => p.Name, p => CaseFile.ReadTensor(p.Value));
        int hidden = initial["0.weight"].Size(0);
        var model = new Sequential(new Linear(x.Size(1), hidden), new Tanh(), new Linear(hidden, initial["2.weight"].Size(0)));
        model.LoadStateDict(initial);

        var optimizer = OptimizerCaseRunner.Create(root.GetProperty("optimizer").GetString()!, root.GetProperty("hyper"), model.Parameters().ToArray());
        int steps = root.GetProperty("steps").GetInt32();
        var losses = root.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(steps, losses.Length);
        for (int i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            var loss = F.CrossEntropy(model.Call(x), y);
            Infrastructure.TensorAssert.Close([losses[i]], [loss.Item()], rtol, atol, $"{name}: loss before step {i}");
            loss.Backward();
            optimizer.Step();
        }
        var state = model.StateDict();
        foreach (var w in root.GetProperty("final").EnumerateObject())
            CaseFile.AssertMatches(w.Value, state[w.Name], rtol, atol, $"{name}: final '{w.Name}'");
    }
}
