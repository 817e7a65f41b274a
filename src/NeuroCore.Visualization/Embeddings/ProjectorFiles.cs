using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuroCore.Visualization.Embeddings;

/// <summary>
/// Files for the TensorBoard Embedding Projector (and the standalone projector, projector.tensorflow.org's
/// code run locally): the input vectors as <c>tensors.tsv</c> and <c>tensors.bytes</c> (float32
/// little-endian, shape in the configs), the computed embedding (<c>embedding.tsv</c> / <c>embedding.bytes</c>) as a second tensor,
/// <c>metadata.tsv</c>, <c>sprite.png</c> for image data, <c>projector_config.pbtxt</c> (TensorBoard's
/// protobuf text) and <c>projector_config.json</c> (the standalone projector's format).
/// </summary>
public static class ProjectorFiles
{
    /// <summary>The input vectors, TSV.</summary>
    public const string TensorsTsv = "tensors.tsv";

    /// <summary>The input vectors, raw float32.</summary>
    public const string TensorsBytes = "tensors.bytes";

    /// <summary>The computed embedding, raw float32 (the standalone projector reads .bytes tensors).</summary>
    public const string EmbeddingBytes = "embedding.bytes";

    /// <summary>One line per point (plus a header row when there is more than one column).</summary>
    public const string MetadataTsv = "metadata.tsv";

    /// <summary>TensorBoard's config.</summary>
    public const string ConfigPbtxt = "projector_config.pbtxt";

    /// <summary>The standalone projector's config.</summary>
    public const string ConfigJson = "projector_config.json";

    /// <summary>Writes every file into <paramref name="folder"/> (created if needed); returns the paths written.</summary>
    public static IReadOnlyList<string> Write(EmbeddingView view, string folder, string tensorName = "input")
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(folder);
        view.Validate();
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var input = view.Source.Input;
        string P(string name) { var p = Path.Combine(folder, name); written.Add(p); return p; }

        EmbeddingTsv.Write(P(TensorsTsv), input.Data, input.Dimensions);
        WriteBytes(P(TensorsBytes), input.Data);
        EmbeddingTsv.Write(P(EmbeddingTsv.FileName), view.Coordinates, view.Dimensions);
        WriteBytes(P(EmbeddingBytes), view.Coordinates);
        WriteMetadata(view, P(MetadataTsv));

        (int W, int H)? sprite = null;
        if (view.Source.Images is { } images && view.Source.ImageShape is { } shape)
        {
            int channels = shape.Length == 3 ? shape[2] : 1;
            var (png, cw, ch, _) = SpriteSheet.Render(images, view.Count, shape[0], shape[1], channels);
            AtomicText.Write(P(SpriteSheet.FileName), s => s.Write(png));
            sprite = (cw, ch);
        }
        string embeddingName = $"{view.Method}-{view.Dimensions}d";
        AtomicText.WriteText(P(ConfigPbtxt), w => w.Write(Pbtxt(tensorName, input.Count, input.Dimensions, embeddingName, view.Dimensions, sprite)));
        AtomicText.WriteText(P(ConfigJson), w => w.Write(StandaloneJson(view, tensorName, embeddingName, sprite)));
        return written;
    }

    private static void WriteBytes(string path, float[] values) =>
        AtomicText.Write(path, s =>
        {
            var bytes = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
            s.Write(bytes);
        });

    /// <summary>The metadata columns: the name (word or label) alone, or label and index with a header row.</summary>
    private static void WriteMetadata(EmbeddingView view, string path) =>
        AtomicText.WriteText(path, w =>
        {
            bool labelled = view.Source.Labels is not null && view.Names is null;
            // The Projector reads a one-column file without a header, and a header only when there are several columns.
            if (labelled) w.WriteLine("label\tindex");
            for (int i = 0; i < view.Count; i++)
                w.WriteLine(labelled
                    ? $"{AtomicText.Field(view.Source.LabelText(i))}\t{i.ToString(CultureInfo.InvariantCulture)}"
                    : AtomicText.Field(view.Names?[i] ?? i.ToString(CultureInfo.InvariantCulture)));
        });

    private static string Pbtxt(string tensorName, int n, int d, string embeddingName, int dims, (int W, int H)? sprite)
    {
        var sb = new StringBuilder();
        void Embedding(string name, string path, int rows, int cols)
        {
            sb.Append("embeddings {\n");
            sb.Append($"  tensor_name: \"{Escape(name)}\"\n");
            sb.Append($"  tensor_path: \"{path}\"\n");
            sb.Append($"  tensor_shape: {rows}\n  tensor_shape: {cols}\n");
            sb.Append($"  metadata_path: \"{MetadataTsv}\"\n");
            if (sprite is { } s)
                sb.Append($"  sprite {{\n    image_path: \"{SpriteSheet.FileName}\"\n    single_image_dim: {s.W}\n    single_image_dim: {s.H}\n  }}\n");
            sb.Append("}\n");
        }
        Embedding(tensorName, TensorsTsv, n, d);
        Embedding(embeddingName, EmbeddingTsv.FileName, n, dims);
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static string StandaloneJson(EmbeddingView view, string tensorName, string embeddingName, (int W, int H)? sprite)
    {
        JsonObject Entry(string name, string path, int rows, int cols)
        {
            var e = new JsonObject
            {
                ["tensorName"] = name,
                ["tensorShape"] = new JsonArray(rows, cols),
                ["tensorPath"] = path,
                ["metadataPath"] = MetadataTsv,
            };
            if (sprite is { } s) e["sprite"] = new JsonObject { ["imagePath"] = SpriteSheet.FileName, ["singleImageDim"] = new JsonArray(s.W, s.H) };
            return e;
        }
        var root = new JsonObject
        {
            ["embeddings"] = new JsonArray(
                Entry(tensorName, TensorsBytes, view.Count, view.Source.Input.Dimensions),
                Entry(embeddingName, EmbeddingBytes, view.Count, view.Dimensions)),
            ["modelCheckpointPath"] = view.Source.Description,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
