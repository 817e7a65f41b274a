using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeuroCore.Embeddings;
using NeuroCore.Visualization.Embeddings;

namespace NeuroCore.Viewer.Tests;

/// <summary>
/// Embedding output folders served by the viewer (<c>GET /api/embeddings</c>, <c>/api/embeddings/{name}</c>, the sprite and
/// the page <c>/embeddings/{name}</c>): word vectors trained by the library on a planted corpus and written by
/// <see cref="Word2VecOutput"/>, and image data written by <see cref="EmbeddingWriter"/> with its sprite.
/// </summary>
public sealed class EmbeddingFolderTests
{
    /// <summary>Three topics of 12 words; the words of a topic only ever appear together.</summary>
    private static List<IReadOnlyList<string>> PlantedCorpus()
    {
        var rng = new Random(5);
        string[][] topics = [.. new[] { "fruit", "tool", "star" }.Select(t => Enumerable.Range(0, 12).Select(i => $"{t}{i}").ToArray())];
        var sentences = new List<IReadOnlyList<string>>();
        for (var s = 0; s < 3000; s++)
        {
            var topic = topics[s % 3];
            sentences.Add(Enumerable.Range(0, 10).Select(_ => topic[rng.Next(topic.Length)]).ToArray());
        }
        return sentences;
    }

    /// <summary>A word2vec output folder named <paramref name="name"/> under <paramref name="root"/>, as <c>neurocore word2vec -o</c> writes it.</summary>
    internal static (string Folder, WordVectors Vectors) WordFolder(string root, string name = "planted-words")
    {
        var trained = Word2Vec.Train(PlantedCorpus(), new Word2VecOptions { Dimensions = 16, Epochs = 3, Threads = 1, Sample = 0, MinCount = 1 });
        var folder = Path.Combine(root, name);
        Word2VecOutput.Write(trained.Vectors, folder, words: 36, settings: new EmbedSettings { Method = "tsne", Dimensions = 3, Perplexity = 5, Iterations = 500 });
        return (folder, trained.Vectors);
    }

    /// <summary>30 labelled 4 × 4 images (a bright row per class) embedded by PCA and written with their sprite.</summary>
    private static string ImageFolder(string root, string name = "bars", bool named = true)
    {
        const int n = 30, side = 4;
        var rng = new Random(3);
        var images = new float[n * side * side];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            for (var x = 0; x < side; x++) images[(i * side + labels[i]) * side + x] = 1f;
            for (var k = 0; k < side * side; k++) images[i * side * side + k] += (float)(rng.NextDouble() * 0.1);
        }
        var source = new EmbeddingSource(EmbeddingInput.FromRows(images, n, side * side), labels, named ? ["top", "second", "third"] : null, images, [side, side], "planted bars");
        var folder = Path.Combine(root, name);
        EmbeddingWriter.WriteAll(EmbeddingPipeline.Run(source, new EmbedSettings { Method = "pca", Dimensions = 3 }), folder);
        return folder;
    }

    private static string NewRoot() => Directory.CreateTempSubdirectory("neurocore-embfolders-").FullName;

    [Fact]
    public async Task Registered_folders_are_listed_and_served_with_their_words_neighbours_and_sprite()
    {
        var root = NewRoot();
        try
        {
            var (words, vectors) = WordFolder(root);
            var bars = ImageFolder(root);
            var folders = new EmbeddingFolders();
            Assert.Equal("planted-words", folders.Add(words));
            Assert.Equal("bars", folders.Add(bars));
            await using var server = await ViewerServer.StartAsync(embeddings: folders);

            var list = JsonDocument.Parse(await server.Client.GetStringAsync("/api/embeddings")).RootElement.EnumerateArray().ToList();
            Assert.Equal(["planted-words", "bars"], list.Select(e => e.GetProperty("name").GetString()));
            Assert.Equal(36, list[0].GetProperty("count").GetInt32());
            Assert.True(list[0].GetProperty("words").GetBoolean());
            Assert.False(list[0].GetProperty("sprite").GetBoolean());
            Assert.True(list[1].GetProperty("sprite").GetBoolean());
            Assert.Equal(3, list[1].GetProperty("classes").GetInt32());

            // The words: every point named by its word, in the vocabulary's order, with the writer's input-space neighbours.
            var doc = JsonDocument.Parse(await server.Client.GetStringAsync("/api/embeddings/planted-words")).RootElement;
            var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(words, EmbeddingJson.FileName))).RootElement;
            var points = doc.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(vectors.Words.Take(36), points.Select(p => p.GetProperty("name").GetString()));
            Assert.Equal("input", doc.GetProperty("neighborSpace").GetString());
            Assert.Equal(16, doc.GetProperty("inputDimensions").GetInt32());
            for (var i = 0; i < points.Count; i++)
            {
                Assert.Equal(file.GetProperty("points")[i].GetProperty("neighbors").ToString(), points[i].GetProperty("neighbors").ToString());
                Assert.Equal(file.GetProperty("points")[i].GetProperty("position").ToString(), points[i].GetProperty("position").ToString());
            }
            // Planted topics: a word's nearest neighbour is a word of its own topic.
            var first = points[0].GetProperty("name").GetString()!;
            var nearest = points[points[0].GetProperty("neighbors")[0].GetInt32()].GetProperty("name").GetString()!;
            Assert.Equal(first.TrimEnd("0123456789".ToCharArray()), nearest.TrimEnd("0123456789".ToCharArray()));
            Assert.False(doc.TryGetProperty("sprite", out _));
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/api/embeddings/planted-words/sprite.png")).StatusCode);

            // Image data: labels and class names, the sprite's cells and the PNG itself.
            var img = JsonDocument.Parse(await server.Client.GetStringAsync("/api/embeddings/bars")).RootElement;
            Assert.Equal(["top", "second", "third"], img.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal("second", img.GetProperty("points")[1].GetProperty("labelName").GetString());
            Assert.Equal(4, img.GetProperty("sprite").GetProperty("cellWidth").GetInt32());
            Assert.Equal(4, img.GetProperty("sprite").GetProperty("cellHeight").GetInt32());
            var png = await server.Client.GetAsync(img.GetProperty("sprite").GetProperty("url").GetString());
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            Assert.Equal(File.ReadAllBytes(Path.Combine(bars, SpriteSheet.FileName)), await png.Content.ReadAsByteArrayAsync());

            // The page is served for registered names only.
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/embeddings/planted-words")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/embeddings/nope")).StatusCode);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public async Task Unknown_names_and_paths_in_the_url_are_404()
    {
        var root = NewRoot();
        try
        {
            var (words, _) = WordFolder(root);
            var folders = new EmbeddingFolders();
            folders.Add(words);
            // A folder next to the registered one that was not registered: never reachable through the URL.
            Directory.CreateDirectory(Path.Combine(root, "secret"));
            File.Copy(Path.Combine(words, EmbeddingJson.FileName), Path.Combine(root, "secret", EmbeddingJson.FileName));
            await using var server = await ViewerServer.StartAsync(embeddings: folders);
            foreach (var url in new[] { "/api/embeddings/nope", "/api/embeddings/secret", "/api/embeddings/..%2Fsecret", "/api/embeddings/%2E%2E",
                         "/api/embeddings/planted-words%2F..%2F..%2Fsecret", "/api/embeddings/nope/sprite.png", "/embeddings/secret", "/embeddings/..%2Fsecret" })
            {
                var answer = await server.Client.GetAsync(url);
                Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{url}: {answer.StatusCode}");
            }
            var problem = await server.Client.GetAsync("/api/embeddings/nope");
            Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
            Assert.Contains("no embedding 'nope'", await problem.Content.ReadAsStringAsync());
            // A file that went bad after it was added: 422 with the reason, and the list says so (the others stay listed).
            File.WriteAllText(Path.Combine(words, EmbeddingJson.FileName), "{\"format\":\"neurocore-embedding\",\"version\":2}");
            var bad = await server.Client.GetAsync("/api/embeddings/planted-words");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
            Assert.Contains("version 2", await bad.Content.ReadAsStringAsync());
            Assert.Contains("version 2", JsonDocument.Parse(await server.Client.GetStringAsync("/api/embeddings")).RootElement[0].GetProperty("error").GetString());
            // A viewer without embedding folders lists none.
            await using var plain = await ViewerServer.StartAsync();
            Assert.Equal("[]", await plain.Client.GetStringAsync("/api/embeddings"));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public async Task Without_stored_neighbours_they_are_computed_in_the_embeddings_own_coordinates()
    {
        var root = NewRoot();
        try
        {
            var (words, _) = WordFolder(root);
            var path = Path.Combine(words, EmbeddingJson.FileName);
            var doc = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            foreach (var p in doc["points"]!.AsArray()) p!.AsObject().Remove("neighbors");
            File.WriteAllText(path, doc.ToJsonString());
            var folders = new EmbeddingFolders();
            folders.Add(words);
            await using var server = await ViewerServer.StartAsync(embeddings: folders);
            var served = JsonDocument.Parse(await server.Client.GetStringAsync("/api/embeddings/planted-words")).RootElement;
            Assert.Equal("embedding", served.GetProperty("neighborSpace").GetString());
            var pos = served.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("position").EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToList();
            for (var i = 0; i < pos.Count; i += 7)
            {
                var expected = Enumerable.Range(0, pos.Count).Where(j => j != i).OrderBy(j => pos[i].Zip(pos[j], (a, b) => (a - b) * (a - b)).Sum()).First();
                Assert.Equal(expected, served.GetProperty("points")[i].GetProperty("neighbors")[0].GetInt32());
                Assert.Equal(10, served.GetProperty("points")[i].GetProperty("neighbors").GetArrayLength());
            }
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void Adding_a_folder_that_is_not_an_embedding_says_what_is_wrong()
    {
        var root = NewRoot();
        try
        {
            var folders = new EmbeddingFolders();
            string Refused(string folder) => Assert.Throws<ArgumentException>(() => folders.Add(folder)).Message;
            Assert.Contains("no such folder", Refused(Path.Combine(root, "missing")));
            var empty = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
            Assert.Contains("has no embedding.json", Refused(empty));
            File.WriteAllText(Path.Combine(empty, "embedding.json"), "{ not json");
            Assert.Contains("is not valid JSON", Refused(empty));
            File.WriteAllText(Path.Combine(empty, "embedding.json"), """{"format":"something-else","version":1,"points":[]}""");
            Assert.Contains("format must be 'neurocore-embedding'", Refused(empty));
            File.WriteAllText(Path.Combine(empty, "embedding.json"), """{"format":"neurocore-embedding","version":1,"dimensions":3,"points":[{"position":[1,2]}]}""");
            Assert.Contains("point 0 has no position of 3 numbers", Refused(empty));
            File.WriteAllText(Path.Combine(empty, "embedding.json"), """{"format":"neurocore-embedding","version":1,"dimensions":2,"points":[{"position":[1,2],"neighbors":[5]}]}""");
            Assert.Contains("neighbour 5", Refused(empty));
            Assert.Empty(folders.Names);
            var (words, _) = WordFolder(root);
            folders.Add(words);
            var twin = WordFolder(Directory.CreateDirectory(Path.Combine(root, "other")).FullName).Folder;
            Assert.Contains("was added already", Refused(twin));
            Assert.Equal(["planted-words"], folders.Names);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public async Task The_page_shows_a_word_on_hover_and_its_neighbours_and_the_start_page_lists_it()
    {
        Browser.Require();
        var root = NewRoot();
        try
        {
            var (words, _) = WordFolder(root, "brown-like");
            var folders = new EmbeddingFolders();
            folders.Add(words);
            folders.Add(ImageFolder(root));
            folders.Add(ImageFolder(root, "bars-unnamed", named: false));
            await using var server = await ViewerServer.StartAsync(embeddings: folders);
            var result = Browser.Run("embedding-folder", new Dictionary<string, string>
            {
                ["url"] = server.Url, ["name"] = "brown-like", ["point"] = "4",
            }, TimeSpan.FromMinutes(2));

            var doc = JsonDocument.Parse(await server.Client.GetStringAsync("/api/embeddings/brown-like")).RootElement;
            Assert.Contains("/embeddings/brown-like", result.GetProperty("url").GetString());
            Assert.Contains("brown-like", result.GetProperty("listed").GetString()); // the start page's link was followed
            Assert.True(result.GetProperty("nonBackground").GetDouble() > 0.002, $"the canvas is (nearly) blank: {result}");
            var hovered = result.GetProperty("hovered").GetInt32();
            Assert.True(hovered >= 0, $"hovering point 4 hit nothing: {result}");
            var p = doc.GetProperty("points")[hovered];
            Assert.Equal(p.GetProperty("name").GetString(), result.GetProperty("point").GetString());
            var neighbours = result.GetProperty("neighbors").GetString()!;
            Assert.Contains("input space", neighbours);
            Assert.Contains(doc.GetProperty("points")[p.GetProperty("neighbors")[0].GetInt32()].GetProperty("name").GetString()!, neighbours);
            Assert.Equal(JsonValueKind.Null, result.GetProperty("thumb").ValueKind); // words have no image
            Assert.True(result.GetProperty("runControlsHidden").GetBoolean());

            // Image data: hovering draws the point's cell of the sprite (a 4 × 4 image with one bright row).
            var bars = Browser.Run("embedding-folder", new Dictionary<string, string> { ["url"] = server.Url, ["name"] = "bars", ["point"] = "1" }, TimeSpan.FromMinutes(2));
            var barsDoc = JsonDocument.Parse(await server.Client.GetStringAsync("/api/embeddings/bars")).RootElement;
            var hb = bars.GetProperty("hovered").GetInt32();
            Assert.True(hb >= 0, $"hovering a bar hit nothing: {bars}");
            Assert.Contains($"class {barsDoc.GetProperty("points")[hb].GetProperty("labelName").GetString()}", bars.GetProperty("point").GetString());
            Assert.Equal(4, bars.GetProperty("thumb").GetProperty("width").GetInt32());
            Assert.InRange(bars.GetProperty("thumb").GetProperty("lit").GetInt32(), 4, 4);

            // The legend: the class names, or the labels that occur when the data has no names (an IDX file's digits); none for words.
            string[] Legend(JsonElement r) => [.. r.GetProperty("legend").EnumerateArray().Select(x => x.GetString()!)];
            Assert.Empty(Legend(result));
            Assert.Equal(["top", "second", "third"], Legend(bars));
            var unnamed = Browser.Run("embedding-folder", new Dictionary<string, string> { ["url"] = server.Url, ["name"] = "bars-unnamed", ["point"] = "1" }, TimeSpan.FromMinutes(2));
            Assert.Equal(["label 0", "label 1", "label 2"], Legend(unnamed));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
