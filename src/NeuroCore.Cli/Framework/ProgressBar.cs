using System.Diagnostics;
using System.Globalization;

namespace NeuroCore.Cli;

/// <summary>
/// Progress of a long command on stderr: on a terminal a bar redrawn in place (at most 10 times a second);
/// when stderr is redirected, a plain line at every 10 % so logs stay readable.
/// </summary>
public sealed class ProgressBar
{
    private const int BarWidth = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly long _total;
    private readonly string _label;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private int _lastDecile = -1;
    private int _lastWidth;
    private bool _finished;

    /// <summary>Creates a bar for <paramref name="total"/> units (0 when unknown) labelled <paramref name="label"/>.</summary>
    public ProgressBar(TextWriter writer, bool interactive, long total, string label)
    {
        _writer = writer;
        _interactive = interactive;
        _total = Math.Max(0, total);
        _label = label;
    }

    /// <summary>Reports <paramref name="done"/> units finished, with an optional status such as the loss.</summary>
    public void Report(long done, string? status = null)
    {
        if (_finished) return;
        double fraction = _total == 0 ? 0 : Math.Clamp((double)done / _total, 0, 1);
        if (_interactive)
        {
            var now = _clock.Elapsed;
            if (_lastDraw is { } last && now - last < RedrawInterval && done < _total) return;
            _lastDraw = now;
            Draw(Line(done, fraction, status, withBar: true));
        }
        else
        {
            int decile = (int)(fraction * 10);
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            _writer.WriteLine(Line(done, fraction, status, withBar: false));
        }
    }

    /// <summary>Ends the bar (moves to a new line on a terminal) and prints <paramref name="message"/> when given.</summary>
    public void Finish(string? message = null)
    {
        if (_finished) return;
        _finished = true;
        if (_interactive && _lastWidth > 0) _writer.WriteLine();
        if (message is not null) _writer.WriteLine(message);
        _writer.Flush();
    }

    private string Line(long done, double fraction, string? status, bool withBar)
    {
        string count = _total == 0 ? done.ToString(CultureInfo.InvariantCulture) : $"{done}/{_total}";
        // No estimate from the first few steps: start-up costs (JIT, data loading) would inflate it.
        string eta = "";
        if (_total > 0 && done > 0 && done < _total && (fraction >= 0.05 || _clock.Elapsed.TotalSeconds >= 2))
        {
            var remaining = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / done * (_total - done));
            eta = " eta " + FormatDuration(remaining);
        }
        string bar = withBar ? " [" + new string('#', (int)(fraction * BarWidth)).PadRight(BarWidth, '.') + "]" : "";
        string percent = _total == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" {fraction * 100,3:F0}%");
        return $"{_label}{bar}{percent} {count}{(status is null ? "" : " " + status)}{eta}";
    }

    private void Draw(string line)
    {
        // Pad over the previous line's leftovers instead of relying on terminal escape codes.
        string padded = line.Length < _lastWidth ? line.PadRight(_lastWidth) : line;
        _lastWidth = line.Length;
        _writer.Write("\r" + padded);
        _writer.Flush();
    }

    /// <summary>Formats a duration as <c>42s</c>, <c>3m05s</c> or <c>1h02m</c>.</summary>
    public static string FormatDuration(TimeSpan t) =>
        t.TotalSeconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F0}s")
        : t.TotalMinutes < 60 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:D2}s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:D2}m");
}
