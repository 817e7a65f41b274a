using NeuroCore;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Training;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Samples;

/// <summary>
/// The README quickstart: a 2-16-16-3 MLP learns the 3-class spiral with Adam and the explicit
/// zero-grad / forward / loss / backward / step loop. The test project compiles this file too and checks
/// the accuracy, and that README.md shows the region between the markers verbatim.
/// </summary>
public static class QuickstartSample
{
    /// <summary>Trains the model, printing progress; returns the final training accuracy.</summary>
    public static float Run()
    {
        Generator.ManualSeed(0); // same initial weights on every run
        // <quickstart>
        var data = SyntheticData.Spiral(pointsPerClass: 100, classes: 3);
        var loader = new DataLoader(data, batchSize: 32, shuffle: true);

        var model = new Sequential(
            new Linear(2, 16), new Tanh(),
            new Linear(16, 16), new Tanh(),
            new Linear(16, 3));
        var optimizer = new Adam(model.Parameters(), learningRate: 0.01f);

        for (int epoch = 1; epoch <= 200; epoch++)
        {
            foreach (var (x, y) in loader)
            {
                optimizer.ZeroGrad();
                var loss = F.CrossEntropy(model.Call(x), y);
                loss.Backward();
                optimizer.Step();
            }
            if (epoch % 20 == 0)
            {
                var (trainLoss, accuracy, _) = Trainer.Evaluate(model, loader); // eval mode, no grad
                Console.WriteLine($"epoch {epoch,3}: loss {trainLoss:F4}, accuracy {accuracy:P1}");
            }
        }
        // </quickstart>
        return Trainer.Evaluate(model, loader).Accuracy ?? 0f;
    }
}
