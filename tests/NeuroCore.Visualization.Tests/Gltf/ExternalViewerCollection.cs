namespace NeuroCore.Visualization.Tests.Gltf;

/// <summary>
/// Tests that start a heavy external viewer (headless Chromium, Blender) run one at a time, after the
/// parallel tests: several browsers at once on a 2-core machine made page loads and decodes time out
/// (seen with the video tests' Chromium decoder).
/// </summary>
[CollectionDefinition(nameof(ExternalViewerCollection), DisableParallelization = true)]
public sealed class ExternalViewerCollection;
