namespace NeuroCore.Cli;

/// <summary>Left-aligned text columns for command output (numbers right-aligned when a column is all numeric).</summary>
public sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with the given column headers.</summary>
    public TextTable(params string[] headers) => _headers = headers;

    /// <summary>Adds a row (missing cells are empty).</summary>
    public void Add(params string[] cells) => _rows.Add(cells);

    /// <summary>Writes the table with <paramref name="indent"/> before every line.</summary>
    public void Write(TextWriter writer, string indent = "  ")
    {
        int n = _headers.Length;
        var widths = new int[n];
        var numeric = new bool[n];
        for (int c = 0; c < n; c++)
        {
            widths[c] = _headers[c].Length;
            numeric[c] = _rows.Count > 0;
            foreach (var r in _rows)
            {
                string cell = c < r.Length ? r[c] : "";
                widths[c] = Math.Max(widths[c], cell.Length);
                if (cell.Length > 0 && !double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                    numeric[c] = false;
            }
        }
        void Line(IReadOnlyList<string> cells)
        {
            var parts = new string[n];
            for (int c = 0; c < n; c++)
            {
                string cell = c < cells.Count ? cells[c] : "";
                parts[c] = numeric[c] ? cell.PadLeft(widths[c]) : c == n - 1 ? cell : cell.PadRight(widths[c]);
            }
            writer.WriteLine(indent + string.Join("  ", parts).TrimEnd());
        }
        Line(_headers);
        foreach (var r in _rows) Line(r);
    }

    /// <summary>Formats a byte count as <c>512 B</c>, <c>4.2 kB</c>, <c>1.3 MB</c>.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1000 => $"{bytes} B",
        < 1_000_000 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1e3:F1} kB"),
        < 1_000_000_000 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB"),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1e9:F2} GB"),
    };
}
