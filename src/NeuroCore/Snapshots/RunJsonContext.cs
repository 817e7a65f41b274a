using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuroCore.Snapshots;

/// <summary>
/// The System.Text.Json source-generated serializers of the run files' schemas (<see cref="RunManifest"/>,
/// <see cref="SnapshotEntry"/>, <see cref="RunSummary"/>). Property names are camelCase as in
/// <c>docs/snapshot-format.md</c>; non-finite numbers (a diverging loss) are the strings <c>"NaN"</c>,
/// <c>"Infinity"</c>, <c>"-Infinity"</c>; nullability and <c>required</c> are enforced on read.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    MaxDepth = 64)]
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(SnapshotEntry))]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class RunJsonContext : JsonSerializerContext;

/// <summary>The two manifest fields read before anything else: which format, which version.</summary>
internal sealed record RunHeader
{
    public JsonElement Format { get; init; }
    public JsonElement Version { get; init; }
}
