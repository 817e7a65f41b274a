namespace NeuroCore.Cli.Tests.Commands;

/// <summary>
/// <c>neurocore serve --add-embedding DIR</c>: a folder that is not an embedding output stops the service at start with one
/// <c>error:</c> line naming the folder and what is wrong, before anything listens.
/// </summary>
public sealed class ServeAddEmbeddingTests
{
    private static CliRunner.Result Serve(TempFolder tmp, string folder) =>
        CliRunner.Run("serve", "--data", tmp.Sub("data"), "--urls", "http://127.0.0.1:0", "--workers", "0", "--add-embedding", folder);

    [Fact]
    public void A_folder_without_embedding_json_is_refused_at_start()
    {
        using var tmp = new TempFolder();
        var empty = Directory.CreateDirectory(tmp.Sub("just-a-folder")).FullName;
        var r = Serve(tmp, empty);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.ErrLines);
        Assert.Equal($"error: embedding folder '{empty}': the folder has no embedding.json (write one with 'neurocore embed -o DIR' or 'neurocore word2vec -o DIR').", line);
        Assert.DoesNotContain("listening", r.Out);
    }

    [Fact]
    public void A_missing_folder_and_a_document_of_another_format_are_named()
    {
        using var tmp = new TempFolder();
        var missing = Serve(tmp, tmp.Sub("nowhere"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"error: embedding folder '{tmp.Sub("nowhere")}': no such folder.", Assert.Single(missing.ErrLines));

        var other = Directory.CreateDirectory(tmp.Sub("other")).FullName;
        File.WriteAllText(Path.Combine(other, "embedding.json"), """{"format":"neurocore-embedding-frames","version":1}""");
        var wrong = Serve(tmp, other);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("is not a NeuroCore embedding (format must be 'neurocore-embedding')", Assert.Single(wrong.ErrLines));
    }
}
