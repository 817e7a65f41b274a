namespace NeuroCore.Service.Runs;

/// <summary>What <c>GET /api/runs/{id}</c> answers (what <c>neurocore inspect</c> shows, as JSON).</summary>
/// <param name="Id">The run id.</param>
/// <param name="Status"><c>finished</c> (summary written) or <c>recording</c>.</param>
/// <param name="CreatedUtc">When recording started.</param>
/// <param name="Producer">What recorded it.</param>
/// <param name="Architecture">The model.</param>
/// <param name="Dataset">The dataset, when recorded.</param>
/// <param name="SnapshotCount">Snapshots readable now.</param>
/// <param name="FirstStep">The first snapshot's step.</param>
/// <param name="LastStep">The latest snapshot's step.</param>
/// <param name="LastLoss">The latest snapshot's loss.</param>
/// <param name="Steps">Every snapshot's step.</param>
/// <param name="TotalBytes">Bytes on disk.</param>
/// <param name="Warnings">What the reader skipped and why.</param>
public sealed record RunSummary(
    string Id, string Status, DateTimeOffset CreatedUtc, string? Producer, ArchitectureSummary Architecture, DatasetSummary? Dataset,
    int SnapshotCount, long? FirstStep, long? LastStep, double? LastLoss, IReadOnlyList<long> Steps, long TotalBytes, IReadOnlyList<string> Warnings);

/// <summary>The model of a run.</summary>
/// <param name="Type">The model type.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="Layers">Its layers.</param>
public sealed record ArchitectureSummary(string Type, long Parameters, IReadOnlyList<LayerSummary> Layers);

/// <summary>One layer.</summary>
/// <param name="Name">State-dict prefix.</param>
/// <param name="Type">Layer type.</param>
/// <param name="Activation">Activation name for activation layers.</param>
/// <param name="OutputShape">Output shape per example, when known.</param>
/// <param name="Parameters">Parameter count.</param>
public sealed record LayerSummary(string Name, string Type, string? Activation, IReadOnlyList<int>? OutputShape, long Parameters);

/// <summary>The dataset of a run.</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Count">Examples.</param>
/// <param name="InputShape">Input shape per example.</param>
/// <param name="Classes">Class count.</param>
/// <param name="ClassNames">Class names.</param>
public sealed record DatasetSummary(string Name, int Count, IReadOnlyList<int> InputShape, int? Classes, IReadOnlyList<string>? ClassNames);
