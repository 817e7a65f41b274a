using NeuroCore.Embeddings;

namespace NeuroCore.Tests.Embeddings;

public class BadInputTests
{
    [Fact]
    public void NaNRowIsNamed()
    {
        var data = new float[30];
        data[2 * 3 + 1] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => EmbeddingInput.FromRows(data, 10, 3));
        Assert.Contains("row 2, column 1", e.Message);
    }

    [Fact]
    public void TooFewPointsForThePerplexity()
    {
        var (x, _) = EmbeddingTestData.Blobs(2, 20, 3);
        var e = Assert.Throws<ArgumentException>(() => Tsne.Fit(x, new TsneOptions { Perplexity = 30 }));
        Assert.Contains("too few for perplexity 30", e.Message);
        Assert.Contains("at least 91 points", e.Message);
    }

    [Fact]
    public void ZeroVarianceDataIsRejected()
    {
        var x = EmbeddingInput.FromRows(Enumerable.Repeat(1.5f, 200 * 4).ToArray(), 200, 4);
        var e = Assert.Throws<ArgumentException>(() => Tsne.Fit(x, new TsneOptions { Perplexity = 5 }));
        Assert.Contains("zero variance", e.Message);
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var (x, _) = EmbeddingTestData.Blobs(2, 40, 3);
        Assert.Contains("Dimensions must be 2 or 3", Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Fit(x, new TsneOptions { Dimensions = 4, Perplexity = 5 })).Message);
        Assert.Contains("components must be in [1, 3]", Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(x, 5)).Message);
    }

    [Fact]
    public void UnknownLayerNameListsTheRecordedOnes()
    {
        var dir = Path.Combine(Path.GetTempPath(), "neurocore-embed-" + Guid.NewGuid().ToString("N"));
        try
        {
            var g = new Generator(3);
            var model = new NeuroCore.NN.Sequential(new NeuroCore.NN.Linear(4, 6, generator: g), new NeuroCore.NN.ReLU(), new NeuroCore.NN.Linear(6, 2, generator: g));
            var probe = new NeuroCore.Snapshots.ProbeBatch(Tensor.Rand([12, 4], g), Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (long)(i % 2)).ToArray(), 12));
            var recorder = new NeuroCore.Snapshots.SnapshotRecorder(dir, new NeuroCore.Snapshots.SnapshotRecorderOptions { Probe = probe });
            recorder.Capture(model, 5, 0, loss: 1.0);
            recorder.Complete();
            var e = Assert.Throws<ArgumentException>(() => RunLayerActivations.Load(dir, "no_such_layer"));
            Assert.Contains("no layer is named 'no_such_layer'", e.Message);
            var recorded = NeuroCore.Snapshots.TrainingRun.Open(dir).LoadSnapshot(5).Activations.Keys.First();
            Assert.Contains(recorded, e.Message);
            var source = RunLayerActivations.Load(dir, recorded);
            Assert.Equal(12, source.Input.Count);
            Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 2), source.Labels!);
            Assert.Contains("no snapshot at step 7", Assert.Throws<ArgumentException>(() => RunLayerActivations.Load(dir, recorded, 7)).Message);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void TableWithTextOutsideTheLabelColumnIsNamed()
    {
        var path = Path.GetTempFileName() + ".csv";
        try
        {
            File.WriteAllText(path, "a,b,label\n1,2,cat\n3,x,dog\n");
            var e = Assert.Throws<InvalidDataException>(() => EmbeddingFiles.Read(path, "label"));
            Assert.Contains("data row 2, column 2 ('b'): 'x' is not a number", e.Message);
            File.WriteAllText(path, "a,b,label\n1,2,cat\n3,4,dog\n5,6,cat\n");
            var ok = EmbeddingFiles.Read(path);
            Assert.Equal(3, ok.Input.Count);
            Assert.Equal(2, ok.Input.Dimensions);
            Assert.Equal(["cat", "dog"], ok.ClassNames!);
            Assert.Equal([0, 1, 0], ok.Labels!);
        }
        finally { File.Delete(path); }
    }
}
