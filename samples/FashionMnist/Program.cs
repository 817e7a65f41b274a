// A small CNN on Fashion-MNIST: dotnet run -c Release --project samples/FashionMnist [-- <data dir> [epochs]]
// Data: Debian's dataset-fashion-mnist package (sudo apt-get install dataset-fashion-mnist).
using System.Globalization;
using NeuroCore;
using NeuroCore.Data;
using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Training;

string directory = args.Length > 0 ? args[0] : FashionMnist.DefaultDirectory;
int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;

ImageClassificationData data;
try
{
    data = FashionMnist.Load(directory); // images [N, 1, 28, 28] in [0, 1], labels int64 [N]
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine($"Install the data with: {FashionMnist.InstallHint}, or pass the folder holding the IDX files.");
    return 1;
}
Console.WriteLine($"Fashion-MNIST: {data.Train.Count} training and {data.Test.Count} test images");

Generator.ManualSeed(0);
var model = new Sequential(
    new Conv2d(1, 16, kernelSize: 3), new ReLU(), new MaxPool2d(2),   // 28×28 → 26×26 → 13×13
    new Conv2d(16, 32, kernelSize: 3), new ReLU(), new MaxPool2d(2),  // 13×13 → 11×11 → 5×5
    new Flatten(),
    new Linear(32 * 5 * 5, 10));
Console.WriteLine(string.Join(" → ", model.Layers));

var trainLoader = new DataLoader(data.Train, batchSize: 64, shuffle: true, seed: 0);
var optimizer = new Adam(model.Parameters(), learningRate: 2e-3f);
// Cosine decay to zero over the whole run, stepped after every batch: large early steps, a settled finish.
var schedule = new CosineAnnealingLR(optimizer, tMax: epochs * trainLoader.BatchCount, interval: ScheduleInterval.Step);
var trainer = new Trainer(model, optimizer).With(schedule);
trainer.StepCompleted += (_, s) =>
{
    if (s.Step % 200 == 0) Console.WriteLine($"  step {s.Step,5}: batch loss {s.Loss:F4}");
};
trainer.EpochCompleted += (_, e) =>
    Console.WriteLine($"epoch {e.Epoch + 1}: train loss {e.Loss:F4}, train accuracy {e.Accuracy:P2}, " +
                      $"test accuracy {e.ValidationAccuracy:P2}, {e.Elapsed.TotalSeconds:F1} s");

var history = trainer.Fit(
    trainLoader,
    epochs,
    validation: new DataLoader(data.Test, batchSize: 1000));

var last = history.Last!.Value;
Console.WriteLine($"final test accuracy {last.ValidationAccuracy:P2} after {last.Elapsed.TotalSeconds:F1} s " +
                  $"({history.Steps.Count / last.Elapsed.TotalSeconds:F1} steps/s incl. evaluation)");
return 0;
