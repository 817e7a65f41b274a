using System.Text.Json;

namespace NeuroCore.Tests.Conformance;

/// <summary>Runs a kind "optimizer" case: one step per given gradient, compared with torch.optim.</summary>
public static class OptimizerCaseRunner
{
    public static void Run(JsonElement root) => throw new NotImplementedException("optimizer cases");
}
