using System.Text.Json;

namespace NeuroCore.Tests.Conformance;

/// <summary>Runs a kind "ops" case: the program, its values and the input gradients.</summary>
public static class OpsCaseRunner
{
    public static void Run(JsonElement root) => throw new NotImplementedException("ops cases");
}
