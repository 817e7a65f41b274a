using System.Globalization;
using System.Text.Json;
using NeuroCore.Embeddings;
using NeuroCore.Visualization.Embeddings;
using SkiaSharp;

namespace NeuroCore.Visualization.Tests.Embeddings;

/// <summary>The Projector files parse (protobuf text, TSV shapes agree with the configs) and the standalone JSON describes the .bytes files.</summary>
public class ProjectorFilesTests
{
    internal static EmbeddingView ImageView(int n = 50, int side = 6)
    {
        var rng = new Random(2);
        var images = new float[n * side * side];
        for (int i = 0; i < images.Length; i++) images[i] = (float)rng.NextDouble();
        var labels = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        var source = new EmbeddingSource(EmbeddingInput.FromRows(images, n, side * side), labels, ["cat", "dog", "tab\tname"], images, [side, side], "test images");
        var coords = new float[n * 3];
        for (int i = 0; i < coords.Length; i++) coords[i] = (float)rng.NextDouble();
        return new EmbeddingView(source, coords, 3, "tsne", null, NearestNeighbors.Find(source.Input, 4), new Dictionary<string, double> { ["trustworthiness"] = 0.5 });
    }

    /// <summary>A minimal protobuf text-format reader: nested messages as lists of (field, value) pairs.</summary>
    private static List<(string Field, object Value)> ParsePbtxt(string text)
    {
        int pos = 0;
        var result = ParseMessage(text, ref pos);
        Assert.True(pos >= text.Length, $"unparsed text at {pos}");
        return result;
    }

    private static List<(string, object)> ParseMessage(string t, ref int p)
    {
        var fields = new List<(string, object)>();
        while (true)
        {
            while (p < t.Length && char.IsWhiteSpace(t[p])) p++;
            if (p >= t.Length || t[p] == '}') return fields;
            int start = p;
            while (p < t.Length && (char.IsLetterOrDigit(t[p]) || t[p] == '_')) p++;
            string name = t[start..p];
            Assert.False(string.IsNullOrEmpty(name), $"field name expected at {p}: '{t[p..Math.Min(t.Length, p + 20)]}'");
            while (char.IsWhiteSpace(t[p])) p++;
            if (t[p] == '{')
            {
                p++;
                fields.Add((name, ParseMessage(t, ref p)));
                Assert.Equal('}', t[p]);
                p++;
                continue;
            }
            Assert.Equal(':', t[p]);
            p++;
            while (char.IsWhiteSpace(t[p])) p++;
            if (t[p] == '"')
            {
                int end = t.IndexOf('"', p + 1);
                fields.Add((name, t[(p + 1)..end]));
                p = end + 1;
            }
            else
            {
                int s = p;
                while (p < t.Length && char.IsAsciiDigit(t[p])) p++;
                fields.Add((name, long.Parse(t[s..p], CultureInfo.InvariantCulture)));
            }
        }
    }

    [Fact]
    public void FilesParseAndShapesAgree()
    {
        using var dir = new TempDir();
        var view = ImageView();
        ProjectorFiles.Write(view, dir.Path);
        var config = ParsePbtxt(File.ReadAllText(dir.File(ProjectorFiles.ConfigPbtxt)));
        var embeddings = config.Where(f => f.Field == "embeddings").Select(f => (List<(string Field, object Value)>)f.Value).ToList();
        Assert.Equal(2, embeddings.Count);
        foreach (var e in embeddings)
        {
            var path = dir.File((string)e.Single(f => f.Field == "tensor_path").Value);
            var shape = e.Where(f => f.Field == "tensor_shape").Select(f => (long)f.Value).ToArray();
            var rows = File.ReadAllLines(path);
            Assert.Equal(shape[0], rows.Length);
            Assert.All(rows, r => Assert.Equal(shape[1], r.Split('\t').Length));
            Assert.All(rows, r => Assert.All(r.Split('\t'), v => float.Parse(v, CultureInfo.InvariantCulture)));
            Assert.Equal(ProjectorFiles.MetadataTsv, e.Single(f => f.Field == "metadata_path").Value);
            var sprite = (List<(string Field, object Value)>)e.Single(f => f.Field == "sprite").Value;
            Assert.Equal([6L, 6L], sprite.Where(f => f.Field == "single_image_dim").Select(f => (long)f.Value));
        }
        // Two metadata columns, so one header row; a tab inside a class name must not split the row.
        var meta = File.ReadAllLines(dir.File(ProjectorFiles.MetadataTsv));
        Assert.Equal("label\tindex", meta[0]);
        Assert.Equal(view.Count + 1, meta.Length);
        Assert.All(meta, m => Assert.Equal(2, m.Split('\t').Length));
        Assert.Equal("tab name\t2", meta[3]);

        using var bitmap = SKBitmap.Decode(dir.File(SpriteSheet.FileName));
        Assert.Equal(bitmap.Width, bitmap.Height);
        Assert.Equal(8 * 6, bitmap.Width); // ⌈√50⌉ = 8 cells of 6 px
    }

    [Fact]
    public void StandaloneConfigDescribesTheBytesFiles()
    {
        using var dir = new TempDir();
        var view = ImageView();
        ProjectorFiles.Write(view, dir.Path);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File(ProjectorFiles.ConfigJson)));
        var embeddings = json.RootElement.GetProperty("embeddings").EnumerateArray().ToList();
        Assert.Equal(2, embeddings.Count);
        foreach (var e in embeddings)
        {
            var shape = e.GetProperty("tensorShape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var bytes = File.ReadAllBytes(dir.File(e.GetProperty("tensorPath").GetString()!));
            Assert.Equal(shape[0] * shape[1] * 4, bytes.Length);
            Assert.True(File.Exists(dir.File(e.GetProperty("metadataPath").GetString()!)));
            Assert.Equal([6, 6], e.GetProperty("sprite").GetProperty("singleImageDim").EnumerateArray().Select(v => v.GetInt32()));
        }
        var first = File.ReadAllBytes(dir.File(ProjectorFiles.EmbeddingBytes));
        Assert.Equal(view.Coordinates[4], BitConverter.ToSingle(first, 16));
    }

    [Fact]
    public void WordMetadataHasOneColumnAndNoHeader()
    {
        using var dir = new TempDir();
        var input = EmbeddingInput.FromRows([1, 0, 0, 1, 1, 1], 3, 2);
        var view = new EmbeddingView(new EmbeddingSource(input, null, null, null, null, "words"), [0, 0, 1, 1, 2, 2], 2, "pca", ["alpha", "beta", "gamma"], null, new Dictionary<string, double>());
        ProjectorFiles.Write(view, dir.Path);
        Assert.Equal(["alpha", "beta", "gamma"], File.ReadAllLines(dir.File(ProjectorFiles.MetadataTsv)));
        Assert.False(File.Exists(dir.File(SpriteSheet.FileName)));
    }

    [Fact]
    public void SpriteStaysWithin8192Pixels()
    {
        // 400 tiny images check the drawn grid; the layout arithmetic is checked on sizes too large to draw in a test:
        // 400 images of 500 px would need 20 × 500 = 10,000 px, so the cells shrink to ⌊8192 / 20⌋ = 409 px.
        var (png, cw, ch, side) = SpriteSheet.Render(new float[400 * 4], 400, 2, 2);
        Assert.Equal((2, 2, 40), (cw, ch, side));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(40, bitmap.Width);
        Assert.Equal((409, 409, 8180), SpriteSheet.Layout(400, 500, 500));
        Assert.Equal((28, 28, 265 * 28), SpriteSheet.Layout(70_000, 28, 28));
        Assert.Throws<ArgumentException>(() => SpriteSheet.Layout(100_000_000, 28, 28));
    }
}
