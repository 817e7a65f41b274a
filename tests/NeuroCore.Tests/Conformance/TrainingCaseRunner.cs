using System.Text.Json;

namespace NeuroCore.Tests.Conformance;

/// <summary>Runs a kind "training" case: a whole MLP trained with Adam, losses and final weights compared.</summary>
public static class TrainingCaseRunner
{
    public static void Run(JsonElement root) => throw new NotImplementedException("training cases");
}
