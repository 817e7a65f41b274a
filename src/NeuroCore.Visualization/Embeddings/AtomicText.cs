namespace NeuroCore.Visualization.Embeddings;

/// <summary>Writes a file through a temporary file and a rename, so a reader never sees half of it.</summary>
internal static class AtomicText
{
    public static void Write(string path, Action<Stream> write)
    {
        var tmp = path + ".tmp";
        try
        {
            using (var s = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16)) write(s);
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
            write(w);
        });

    /// <summary>A TSV field: tabs and line breaks would split the row, so they become spaces.</summary>
    public static string Field(string s) => s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
