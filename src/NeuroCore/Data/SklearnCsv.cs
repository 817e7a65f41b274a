using System.Globalization;
using System.IO.Compression;

namespace NeuroCore.Data;

/// <summary>A labelled table: float32 features [N, F], int64 class targets [N], and names.</summary>
/// <param name="Data">The examples.</param>
/// <param name="ClassNames">The name of each class index.</param>
/// <param name="FeatureNames">The name of each feature column.</param>
public sealed record TabularData(TensorDataset Data, IReadOnlyList<string> ClassNames, IReadOnlyList<string> FeatureNames);

/// <summary>
/// Reads the CSV files scikit-learn ships for its small classification datasets (raw or gzip, recognised
/// by the gzip magic bytes): every row is the features followed by an integer class label.
/// </summary>
public static class SklearnCsv
{
    /// <summary>
    /// Most classes a file may imply when it names none (labels 0 … 65,535). Without class names the reader
    /// makes one name per label value up to the largest label, so a single label of 100,000,000 would
    /// otherwise build that many names; a larger label is an <see cref="InvalidDataException"/>.
    /// </summary>
    public const int MaxDefaultClasses = 1 << 16;

    /// <summary>
    /// Reads a file whose first row is <c>n_samples,n_features,class names…</c> (iris.csv, wine_data.csv);
    /// the row and column counts are checked against it.
    /// </summary>
    /// <exception cref="InvalidDataException">The header or a row is malformed (the message names the line).</exception>
    public static TabularData ReadWithHeader(string path)
    {
        var name = Path.GetFileName(path);
        var lines = ReadLines(path);
        if (lines.Count == 0) throw new InvalidDataException($"CSV {name}: the file is empty.");
        var header = lines[0].Split(',');
        if (header.Length < 2
            || !int.TryParse(header[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int samples)
            || !int.TryParse(header[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int features)
            || features <= 0)
            throw new InvalidDataException(
                $"CSV {name}, line 1: expected 'n_samples,n_features,class names…', got '{Shorten(lines[0])}'.");
        var classNames = header.Skip(2).Select(s => s.Trim()).ToArray();
        if (lines.Count - 1 != samples)
            throw new InvalidDataException($"CSV {name}: the header announces {samples} rows but the file has {lines.Count - 1}.");
        var data = Parse(lines, 1, features, classNames.Length == 0 ? null : classNames.Length, name);
        return new TabularData(data, classNames.Length > 0 ? classNames : DefaultClassNames(data), DefaultFeatureNames(features));
    }

    /// <summary>
    /// Reads a headerless file (digits.csv.gz) with <paramref name="features"/> feature columns and the label last;
    /// class names are the label values 0..max unless <paramref name="classNames"/> are given.
    /// </summary>
    public static TabularData ReadWithoutHeader(string path, int features, IReadOnlyList<string>? classNames = null)
    {
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), features, "ReadWithoutHeader: features must be positive.");
        var name = Path.GetFileName(path);
        var lines = ReadLines(path);
        var data = Parse(lines, 0, features, classNames?.Count, name);
        return new TabularData(data, classNames ?? DefaultClassNames(data), DefaultFeatureNames(features));
    }

    private static TensorDataset Parse(List<string> lines, int first, int features, int? classes, string name)
    {
        int n = lines.Count - first;
        // Check every row's width before allocating: the feature count comes from the file's header (or the
        // caller), and only rows that really hold that many values justify the [n, features] allocation.
        for (int r = 0; r < n; r++)
        {
            long values = lines[first + r].AsSpan().Count(',') + 1L;
            if (values != features + 1L)
                throw new InvalidDataException(
                    $"CSV {name}, line {first + r + 1}: expected {features} features and a label ({features + 1L} values), got {values}.");
        }
        if ((long)n * features > Array.MaxLength)
            throw new InvalidDataException($"CSV {name}: {n} rows of {features} features are more values than one tensor can hold.");
        var x = new float[n * features];
        var y = new long[n];
        for (int r = 0; r < n; r++)
        {
            var line = lines[first + r];
            int lineNumber = first + r + 1;
            var cells = line.Split(',');
            for (int j = 0; j < features; j++)
            {
                if (!float.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                    throw new InvalidDataException($"CSV {name}, line {lineNumber}, column {j + 1}: '{Shorten(cells[j])}' is not a number.");
                x[r * features + j] = v;
            }
            var label = cells[features].Trim();
            // Labels are integers; a float spelling such as "2.0" is accepted as long as it is whole.
            if (!long.TryParse(label, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l))
            {
                if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || d != Math.Floor(d) || Math.Abs(d) > 1e15)
                    throw new InvalidDataException($"CSV {name}, line {lineNumber}: label '{Shorten(label)}' is not an integer class index.");
                l = (long)d;
            }
            if (l < 0 || (classes is int k && l >= k))
                throw new InvalidDataException(
                    $"CSV {name}, line {lineNumber}: label {l} is outside the {(classes is int c ? c.ToString(CultureInfo.InvariantCulture) : "non-negative")} classes.");
            if (classes is null && l >= MaxDefaultClasses)
                throw new InvalidDataException(
                    $"CSV {name}, line {lineNumber}: label {l} is too large: a file without class names may use labels 0 to {MaxDefaultClasses - 1} (pass the class names to read larger ones).");
            y[r] = l;
        }
        return new TensorDataset(new Tensor(x, [n, features]), new Tensor(y, [n]));
    }

    private static List<string> ReadLines(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> head = stackalloc byte[2];
        int got = fs.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        fs.Position = 0;
        bool gzip = got == 2 && head[0] == 0x1F && head[1] == 0x8B;
        Stream s = gzip ? new GZipStream(fs, CompressionMode.Decompress) : fs;
        try
        {
            using var reader = new StreamReader(s);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
                if (line.Trim().Length > 0) lines.Add(line);
            return lines;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"CSV {Path.GetFileName(path)}: the gzip data is corrupt ({e.Message}).", e);
        }
        finally
        {
            if (gzip) s.Dispose();
        }
    }

    private static string[] DefaultClassNames(TensorDataset data)
    {
        long max = -1;
        foreach (var l in data.Targets.LongSpan) max = Math.Max(max, l);
        // Parse bounds every label by MaxDefaultClasses when no class names are given.
        return Enumerable.Range(0, (int)(max + 1)).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    private static string[] DefaultFeatureNames(int features) =>
        Enumerable.Range(0, features).Select(i => $"feature_{i}").ToArray();

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}

/// <summary>
/// scikit-learn's bundled classification datasets (digits, iris, wine), read from the CSV files of Debian's
/// <c>python3-sklearn</c> package without Python.
/// </summary>
public static class SklearnDatasets
{
    /// <summary>Where Debian's <c>python3-sklearn</c> installs the dataset files.</summary>
    public const string DefaultDirectory = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>The command that installs the files on Debian/Ubuntu.</summary>
    public const string InstallHint = "sudo apt-get install python3-sklearn";

    /// <summary>
    /// The 1797 8×8 handwritten digits: features float32 [1797, 64] (pixel intensities 0..16, row-major),
    /// targets 0..9, like <c>sklearn.datasets.load_digits</c>.
    /// </summary>
    public static TabularData LoadDigits(string directory = DefaultDirectory)
    {
        var data = SklearnCsv.ReadWithoutHeader(Find(directory, "digits.csv.gz"), 64,
            Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
        var names = Enumerable.Range(0, 64).Select(i => $"pixel_{i / 8}_{i % 8}").ToArray();
        return data with { FeatureNames = names };
    }

    /// <summary>Fisher's 150 iris flowers: 4 features (cm), 3 classes (setosa, versicolor, virginica).</summary>
    public static TabularData LoadIris(string directory = DefaultDirectory)
    {
        var data = SklearnCsv.ReadWithHeader(Find(directory, "iris.csv"));
        return data with { FeatureNames = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"] };
    }

    /// <summary>178 wines from three cultivars: 13 chemical features, 3 classes (class_0..class_2).</summary>
    public static TabularData LoadWine(string directory = DefaultDirectory)
    {
        var data = SklearnCsv.ReadWithHeader(Find(directory, "wine_data.csv"));
        return data with
        {
            FeatureNames = ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
                "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines", "proline"],
        };
    }

    private static string Find(string directory, string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"scikit-learn dataset file {file} was not found in {directory}. Install it with: {InstallHint} " +
                "(or pass the folder holding the CSV files).", path);
        return path;
    }
}
