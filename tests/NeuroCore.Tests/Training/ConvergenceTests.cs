using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Tests.Infrastructure;
using NeuroCore.Training;

namespace NeuroCore.Tests.Training;

/// <summary>
/// End-to-end learning: real layers, losses, optimizers and data loading must together fit small classic
/// problems. Sized to finish in a few seconds in Release on one core.
/// </summary>
public class ConvergenceTests
{
    [Fact]
    public void MlpFitsTheThreeClassSpiral()
    {
        var data = SyntheticData.Spiral(pointsPerClass: 100, classes: 3, seed: 1);
        var g = new Generator(1);
        var model = new Sequential(
            new Linear(2, 16, generator: g), new ReLU(),
            new Linear(16, 16, generator: g), new ReLU(),
            new Linear(16, 3, generator: g));
        var optimizer = new Adam(model.Parameters(), learningRate: 0.02f);
        var trainer = new Trainer(model, optimizer)
            .With(new CosineAnnealingLR(optimizer, tMax: 300, etaMin: 0.002f));
        var history = trainer.Fit(new DataLoader(data, batchSize: 50, shuffle: true, seed: 1), epochs: 300);

        var result = Trainer.Evaluate(model, new DataLoader(data, batchSize: 300));
        Assert.True(result.Accuracy >= 0.97f, $"training accuracy on the spiral is {result.Accuracy:P1}, expected ≥ 97 %");
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss / 4, "the loss should fall severalfold");
    }

    [Fact]
    public void MlpClassifiesScikitLearnDigits()
    {
        var path = Path.Combine(SklearnDatasets.DefaultDirectory, "digits.csv.gz");
        ExternalTools.Require(File.Exists(path), $"scikit-learn's 8x8 digits ({path})", SklearnDatasets.InstallHint);

        var digits = SklearnDatasets.LoadDigits();
        // Pixel intensities are 0..16: scale to [0, 1].
        var all = new TensorDataset(digits.Data.Inputs / 16f, digits.Data.Targets);
        var split = Subset.RandomSplit(all, [0.75, 0.25], seed: 0);
        var (train, test) = (split[0], split[1]);

        var g = new Generator(0);
        var model = new Sequential(new Linear(64, 128, generator: g), new ReLU(), new Linear(128, 10, generator: g));
        var optimizer = new AdamW(model.Parameters(), learningRate: 3e-3f, weightDecay: 1e-4f);
        var history = new Trainer(model, optimizer).Fit(
            new DataLoader(train, batchSize: 32, shuffle: true, seed: 0), epochs: 30,
            validation: new DataLoader(test, batchSize: 500));

        float? accuracy = history.Last!.Value.ValidationAccuracy;
        Assert.True(accuracy >= 0.95f, $"test accuracy on digits is {accuracy:P1}, expected ≥ 95 %");
        Assert.Equal(accuracy, Trainer.Evaluate(model, new DataLoader(test, batchSize: 7)).Accuracy);
    }
}
