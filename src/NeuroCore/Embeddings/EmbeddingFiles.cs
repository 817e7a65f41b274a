using System.Globalization;
using System.IO.Compression;
using NeuroCore.Data;

namespace NeuroCore.Embeddings;

/// <summary>
/// Reads plain data to embed: IDX image files (with an optional IDX label file), scikit-learn's dataset
/// CSVs (digits.csv.gz, iris.csv, wine_data.csv), and CSV/TSV tables of numbers with an optional header
/// row and an optional label column.
/// </summary>
public static class EmbeddingFiles
{
    // Rows read from a text table at most, so a hostile or mistaken file cannot exhaust memory unbounded.
    private const int MaxRows = 2_000_000;

    /// <summary>
    /// Reads <paramref name="path"/>. <paramref name="labelColumn"/>: null = automatic (a column with text
    /// that is not a number is the label column), <c>"none"</c>, <c>"first"</c>, <c>"last"</c>, a header
    /// name or a 0-based index. <paramref name="labelsPath"/> is an IDX label file for IDX images.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed (the message names the line and column).</exception>
    public static EmbeddingSource Read(string path, string? labelColumn = null, string? labelsPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Embedding input: no file '{path}'.", path);
        string name = Path.GetFileName(path);
        if (IsIdx(path)) return ReadIdx(path, labelsPath);
        if (name is "digits.csv.gz" or "digits.csv") return FromTabular(SklearnCsv.ReadWithoutHeader(path, 64), name);
        if (name is "iris.csv" or "wine_data.csv" or "breast_cancer.csv") return FromTabular(SklearnCsv.ReadWithHeader(path), name);
        return ReadTable(path, labelColumn);
    }

    private static bool IsIdx(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var s = Open(path);
        int n = s.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        // IDX magic: two zero bytes, a type code (0x08..0x0E), the number of dimensions.
        return n == 4 && head[0] == 0 && head[1] == 0 && head[2] is >= 0x08 and <= 0x0E && head[3] is >= 1 and <= 4;
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static EmbeddingSource ReadIdx(string path, string? labelsPath)
    {
        var a = IdxReader.Read(path);
        var t = a.ToFloat32(a.DataType == IdxDataType.UByte ? 255f : 1f);
        var input = EmbeddingInput.FromTensor(t);
        int[]? labels = null;
        if (labelsPath is not null)
        {
            labels = IdxReader.ReadLabels(labelsPath).ToLongArray().Select(v => (int)v).ToArray();
            if (labels.Length != input.Count)
                throw new InvalidDataException($"IDX: {Path.GetFileName(path)} has {input.Count} rows but {Path.GetFileName(labelsPath)} has {labels.Length} labels.");
        }
        bool images = a.Dimensions.Count == 3 && a.DataType == IdxDataType.UByte;
        return new EmbeddingSource(input, labels, null, images ? input.Data : null, images ? [a.Dimensions[1], a.Dimensions[2]] : null, Path.GetFileName(path));
    }

    private static EmbeddingSource FromTabular(TabularData t, string name) =>
        new(EmbeddingInput.FromTensor(t.Data.Inputs), t.Data.Targets.ToLongArray().Select(v => (int)v).ToArray(), t.ClassNames,
            name.StartsWith("digits", StringComparison.Ordinal) ? t.Data.Inputs.ToArray().Select(v => v / 16f).ToArray() : null,
            name.StartsWith("digits", StringComparison.Ordinal) ? [8, 8] : null, name);

    private static EmbeddingSource ReadTable(string path, string? labelColumn)
    {
        string name = Path.GetFileName(path);
        var rows = new List<string[]>();
        char sep = '\0';
        int lineNo = 0;
        using (var reader = new StreamReader(Open(path)))
            for (string? line; (line = reader.ReadLine()) is not null;)
            {
                lineNo++;
                if (line.Length == 0 || line[0] == '#') continue;
                if (sep == '\0') sep = line.Contains('\t') ? '\t' : line.Contains(',') ? ',' : line.Contains(';') ? ';' : ' ';
                if (rows.Count >= MaxRows) throw new InvalidDataException($"{name}: more than {MaxRows} rows; embed a sample.");
                rows.Add(sep == ' ' ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries) : line.Split(sep));
            }
        if (rows.Count == 0) throw new InvalidDataException($"{name}: no rows.");
        int cols = rows[0].Length;
        bool header = rows[0].Any(f => !IsNumber(f)) && rows.Count > 1 && rows[1].Count(f => !IsNumber(f)) < rows[0].Count(f => !IsNumber(f));
        string[]? headerRow = header ? rows[0] : null;
        var body = header ? rows.Skip(1).ToList() : rows;
        for (int r = 0; r < body.Count; r++)
            if (body[r].Length != cols)
                throw new InvalidDataException($"{name}, data row {r + 1}: {body[r].Length} columns, but the first row has {cols}.");
        int label = ResolveLabel(labelColumn, headerRow, body, cols, name);
        int d = cols - (label >= 0 ? 1 : 0);
        if (d < 1) throw new InvalidDataException($"{name}: no numeric columns besides the label.");
        var data = new float[(long)body.Count * d];
        var labelText = label >= 0 ? new string[body.Count] : null;
        for (int r = 0; r < body.Count; r++)
        {
            int c2 = 0;
            for (int c = 0; c < cols; c++)
            {
                var f = body[r][c].Trim();
                if (c == label) { labelText![r] = f; continue; }
                if (!float.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                    throw new InvalidDataException($"{name}, data row {r + 1}, column {c + 1}{(headerRow is null ? "" : $" ('{headerRow[c]}')")}: '{f}' is not a number.");
                data[(long)r * d + c2++] = v;
            }
        }
        int[]? labels = null;
        string[]? classes = null;
        if (labelText is not null)
        {
            classes = labelText.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (classes.All(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
                classes = classes.OrderBy(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            labels = labelText.Select(t => index[t]).ToArray();
        }
        return new EmbeddingSource(EmbeddingInput.FromRows(data, body.Count, d), labels, classes, null, null, name);
    }

    private static int ResolveLabel(string? spec, string[]? header, List<string[]> body, int cols, string name)
    {
        switch (spec)
        {
            case "none": return -1;
            case "first": return 0;
            case "last": return cols - 1;
            case null:
                var text = Enumerable.Range(0, cols).Where(c => body.Any(r => !IsNumber(r[c]))).ToArray();
                if (text.Length > 1) throw new InvalidDataException($"{name}: columns {string.Join(", ", text.Select(c => c + 1))} hold text; name the label column with --label-column.");
                return text.Length == 1 ? text[0] : -1;
        }
        if (header is not null && Array.FindIndex(header, h => h.Trim() == spec) is var byName and >= 0) return byName;
        if (int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out int idx) && idx < cols) return idx;
        throw new InvalidDataException($"{name}: no label column '{spec}' (columns: {(header is null ? $"0..{cols - 1}" : string.Join(", ", header))}).");
    }

    private static bool IsNumber(string s) => float.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
