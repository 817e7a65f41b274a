using NeuroCore.NN;
using NeuroCore.Snapshots;
using NeuroCore.Training;

namespace NeuroCore.Tests.Training;

public class TrainingSpecTests
{
    [Fact]
    public void DefaultsDependOnTheOptimizerAndTheDataset()
    {
        var spec = new TrainingSpec();
        Assert.Equal(0.01, spec.EffectiveLearningRate);
        Assert.Equal(0.1, (spec with { Optimizer = "sgd" }).EffectiveLearningRate);
        Assert.Equal(0.01, (spec with { Optimizer = "adamw" }).EffectiveWeightDecay);
        Assert.Equal(100, spec.EffectiveEpochs);
        Assert.Equal(20, (spec with { Dataset = "digits" }).EffectiveEpochs);
        Assert.Equal(SnapshotSchedule.Every(5).ToString(), (spec with { SnapshotEvery = 5 }).EffectiveSchedule.ToString());
        Assert.Equal(2 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3, spec.ParameterCount());
    }

    [Theory]
    [InlineData("batchSize", "expects a whole number between 1 and 1,048,576, got 2147483647")]
    [InlineData("samples", "expects a whole number between 4 and 1,000,000, got 2147483647")]
    [InlineData("layers", "30000,30000 gives a network of 900,210,003 parameters on spiral (2 inputs, 3 classes); at most 100,000,000 are supported")]
    [InlineData("noise", "only applies to the toy 2-D datasets, not digits")]
    [InlineData("snapshotEvery", "and snapshotSchedule cannot be used together")]
    public void ValidationNamesTheFieldAndTheBounds(string field, string problem)
    {
        var spec = field switch
        {
            "batchSize" => new TrainingSpec { BatchSize = int.MaxValue },
            "samples" => new TrainingSpec { Samples = int.MaxValue },
            "layers" => new TrainingSpec { Layers = [30000, 30000] },
            "noise" => new TrainingSpec { Dataset = "digits", Noise = 0.1 },
            _ => new TrainingSpec { SnapshotEvery = 3, SnapshotSchedule = "dense-early" },
        };
        var e = Assert.Throws<TrainingSpecException>(() => spec.Validate());
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void LoadReadsEveryFieldAndRejectsUnknownOnes()
    {
        string dir = Directory.CreateTempSubdirectory("nc-spec-").FullName;
        try
        {
            string path = Path.Combine(dir, "spec.json");
            File.WriteAllText(path, """
                { // comments and trailing commas are fine
                  "dataset": "moons", "samples": 40, "noise": 0.2, "layers": "8,4", "activation": "gelu",
                  "optimizer": "sgd", "learningRate": 0.05, "momentum": 0.5, "weightDecay": 0.001, "epochs": 3,
                  "batchSize": 10, "seed": 4, "snapshotSchedule": "every:2", "gradients": "full", "float16": true,
                  "probe": 5, "output": "runs/m", "dataDir": null,
                }
                """);
            var spec = TrainingSpec.Load(path).Validate();
            Assert.Equal(new TrainingSpec
            {
                Dataset = "moons", Samples = 40, Noise = 0.2, Layers = spec.Layers, Activation = NeuroCore.NN.ActivationFunction.Gelu, Optimizer = "sgd", LearningRate = 0.05,
                Momentum = 0.5, WeightDecay = 0.001, Epochs = 3, BatchSize = 10, Seed = 4, SnapshotSchedule = "every:2", Gradients = "full",
                Float16 = true, Probe = 5, Output = "runs/m",
            }, spec);
            Assert.Equal([8, 4], spec.Layers);

            File.WriteAllText(path, """{ "epochz": 3 }""");
            var unknown = Assert.Throws<TrainingSpecException>(() => TrainingSpec.Load(path));
            Assert.Contains("unknown field \"epochz\"", unknown.Message);
            File.WriteAllText(path, """{ "epochs": 2.5 }""");
            Assert.Contains("\"epochs\" expects a whole number, got 2.5", Assert.Throws<TrainingSpecException>(() => TrainingSpec.Load(path)).Message);
            Assert.Contains("is a folder, not a spec file", Assert.Throws<TrainingSpecException>(() => TrainingSpec.Load(dir)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ActivationsComeFromTheOneTable()
    {
        Assert.Equal([.. TrainingSpec.HiddenActivations.Select(f => f.Name())], TrainingSpec.ActivationNames);
        Assert.Contains("leaky_relu", TrainingSpec.ActivationNames);
        string dir = Directory.CreateTempSubdirectory("nc-spec-act-").FullName;
        try
        {
            string path = Path.Combine(dir, "spec.json");
            // Every spelling the table reads: kebab (the CLI's old name), snake, the module's type name.
            foreach (var (text, expected) in new[] { ("leaky-relu", ActivationFunction.LeakyRelu), ("leaky_relu", ActivationFunction.LeakyRelu), ("GELU", ActivationFunction.Gelu) })
            {
                File.WriteAllText(path, $$"""{ "activation": "{{text}}" }""");
                Assert.Equal(expected, TrainingSpec.Load(path).Validate().Activation);
            }
            File.WriteAllText(path, """{ "activation": "swishy" }""");
            Assert.Contains("\"activation\" expects one of relu, tanh, sigmoid, gelu, leaky_relu, got \"swishy\"", Assert.Throws<TrainingSpecException>(() => TrainingSpec.Load(path)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
        // A function the table knows but no hidden layer of a spec uses.
        var e = Assert.Throws<TrainingSpecException>(() => new TrainingSpec { Activation = ActivationFunction.Softmax }.Validate());
        Assert.Equal("activation", e.Field);
        Assert.Contains("got 'softmax'", e.Problem);
        // The network is built from the table's modules; the hyper-parameters record the table's name.
        var session = TrainingSession.Create(new TrainingSpec { Dataset = "xor", Samples = 8, Layers = [3], Activation = ActivationFunction.LeakyRelu, Epochs = 1 });
        Assert.IsType<LeakyReLU>(session.Model[1]);
        Assert.Equal("leaky_relu", session.RecorderOptions().HyperParameters!["activation"]);
    }

    [Fact]
    public void ASessionTrainsTheSameNetworkFromTheSameSpec()
    {
        var spec = new TrainingSpec { Dataset = "xor", Samples = 40, Layers = [4], Epochs = 2, BatchSize = 10, Seed = 3 };
        var a = TrainingSession.Create(spec);
        var b = TrainingSession.Create(spec);
        Assert.Equal("MLP 2-4-2", a.Describe());
        Assert.Equal(8, a.TotalSteps);
        var ha = a.Train(recorder: null);
        var hb = b.Train(recorder: null);
        Assert.Equal(ha.Steps.Select(s => s.Loss), hb.Steps.Select(s => s.Loss));
        Assert.Equal(8, ha.Steps.Count);
    }
}

public class LayerSpecTests
{
    [Theory]
    [InlineData("16,16", "16,16")]
    [InlineData("conv16k3,pool2,conv32k3,pool2,dense64", "conv16k3,pool2,conv32k3,pool2,64")]
    [InlineData(" Conv8K5 , POOL2 ", "conv8k5,pool2")]
    [InlineData("none", "none")]
    [InlineData("", "none")]
    public void TheCompactGrammarRoundTrips(string text, string formatted)
    {
        Assert.True(LayerSpec.TryParseList(text, out var layers));
        Assert.Equal(formatted, LayerSpec.Format(layers));
    }

    [Theory]
    [InlineData("16,x")]
    [InlineData("conv16")]
    [InlineData("pool")]
    [InlineData("-3")]
    [InlineData("99999999999")]
    public void AnythingElseIsRejected(string text) => Assert.False(LayerSpec.TryParseList(text, out _));

    [Fact]
    public void ConvNetParameterCountFollowsTheShapes()
    {
        var spec = new TrainingSpec { Dataset = "fashion-mnist", Layers = [LayerSpec.Conv(16, 3), LayerSpec.Pool(2), LayerSpec.Conv(32, 3), LayerSpec.Pool(2), 64] };
        long expected = (16 * 1 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 7 * 7 * 64 + 64) + (64 * 10 + 10);
        Assert.Equal(expected, spec.Validate().ParameterCount());
        var e = Assert.Throws<TrainingSpecException>(() => (spec with { Dataset = "iris" }).Validate());
        Assert.Contains("need an image dataset", e.Message);
    }
}
