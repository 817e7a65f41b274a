namespace NeuroCore.Visualization.Tests.Gltf;

/// <summary>
/// Tests that start a headless Chromium run one at a time, after the parallel tests: several browsers
/// at once on a 2-core machine make page loads and decodes time out (seen with the video tests' decoder).
/// </summary>
[CollectionDefinition(nameof(ChromiumCollection), DisableParallelization = true)]
public sealed class ChromiumCollection;
