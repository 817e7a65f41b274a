using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NeuroCore.Cli;

/// <summary>
/// Plain text columns for command output, laid out by Spectre.Console (no borders, no colour, so the text
/// is the same on a terminal, in a file and in a pipe); a column whose cells are all numbers is right-aligned.
/// </summary>
public sealed class CliTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with the given column headers.</summary>
    public CliTable(params string[] headers) => _headers = headers;

    /// <summary>Adds a row (missing cells are empty).</summary>
    public void Add(params string[] cells) => _rows.Add(cells);

    /// <summary>Writes the table with <paramref name="indent"/> spaces before every line.</summary>
    public void Write(TextWriter writer, int indent = 2)
    {
        var table = new Table().Border(TableBorder.None);
        table.ShowHeaders = true;
        for (int c = 0; c < _headers.Length; c++)
        {
            bool numeric = _rows.Count > 0 && _rows.All(r => Cell(r, c) is var cell && (cell.Length == 0 || double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
            // Two spaces between columns, in the cells themselves: a borderless Spectre table adds no gap of its own.
            string gap = c == 0 ? "" : "  ";
            var column = new TableColumn(new Text(gap + _headers[c])) { Padding = new Padding(0, 0, 0, 0) }.NoWrap();
            table.AddColumn(numeric ? column.RightAligned() : column.LeftAligned());
        }
        foreach (var r in _rows) table.AddRow(_headers.Select((_, c) => (IRenderable)new Text((c == 0 ? "" : "  ") + Cell(r, c))).ToArray());

        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 100_000; // never wrap: the output goes to files and pipes as often as to terminals
        console.Write(table);
        string pad = new(' ', indent);
        foreach (var line in text.ToString().Split('\n'))
        {
            string trimmed = line.TrimEnd();
            if (trimmed.Length > 0) writer.WriteLine(pad + trimmed);
        }
    }

    private static string Cell(string[] row, int c) => c < row.Length ? row[c] : "";

    /// <summary>Formats a byte count as <c>512 B</c>, <c>4.2 kB</c>, <c>1.3 MB</c>.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1000 => $"{bytes} B",
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:F1} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:F2} GB"),
    };
}
