namespace NeuroCore.Data;

/// <summary>Training and test splits of an image-classification dataset, with class names.</summary>
/// <param name="Train">The training examples.</param>
/// <param name="Test">The test examples.</param>
/// <param name="ClassNames">The name of each class index.</param>
public sealed record ImageClassificationData(TensorDataset Train, TensorDataset Test, IReadOnlyList<string> ClassNames);

/// <summary>
/// Zalando's Fashion-MNIST (70 000 grey 28×28 images of clothing in 10 classes), read from the IDX files
/// of Debian's <c>dataset-fashion-mnist</c> package.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The command that installs the dataset on Debian/Ubuntu.</summary>
    public const string InstallHint = "sudo apt-get install dataset-fashion-mnist";

    /// <summary>The ten class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads the 60 000 training and 10 000 test examples from <paramref name="directory"/>: images float32
    /// [N, 1, 28, 28] scaled to [0, 1] (or [N, 784] when <paramref name="flat"/>), labels int64 [N].
    /// Files may be gzip-compressed (<c>train-images-idx3-ubyte.gz</c>) or not.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to install the dataset.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or truncated.</exception>
    public static ImageClassificationData Load(string directory = DefaultDirectory, bool flat = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var train = IdxReader.ReadDataset(Find(directory, "train-images-idx3-ubyte"), Find(directory, "train-labels-idx1-ubyte"), flat);
        var test = IdxReader.ReadDataset(Find(directory, "t10k-images-idx3-ubyte"), Find(directory, "t10k-labels-idx1-ubyte"), flat);
        foreach (var (split, data) in new[] { ("training", train), ("test", test) })
        {
            var labels = data.Targets.LongSpan;
            foreach (var l in labels)
                if ((ulong)l >= (ulong)ClassNames.Count)
                    throw new InvalidDataException($"FashionMnist: the {split} labels contain {l}, outside the 10 classes 0..9.");
        }
        return new ImageClassificationData(train, test, ClassNames);
    }

    /// <summary>The path of <paramref name="baseName"/> or <paramref name="baseName"/>.gz in <paramref name="directory"/>.</summary>
    internal static string Find(string directory, string baseName)
    {
        foreach (var candidate in new[] { baseName + ".gz", baseName })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(
            $"Fashion-MNIST file {baseName}[.gz] was not found in {directory}. Install the dataset with: {InstallHint} " +
            "(or pass the folder holding the IDX files).", Path.Combine(directory, baseName + ".gz"));
    }
}
