using System.Globalization;
using Spectre.Console;

namespace NeuroCore.Cli;

/// <summary>
/// Progress of a long command on stderr: on a terminal a Spectre.Console progress bar redrawn in place;
/// when stderr is redirected (CI, logs) a plain line at every 10 % so logs stay readable.
/// </summary>
public sealed class CliProgress
{
    private readonly TextWriter? _plain;
    private readonly ProgressTask? _task;
    private readonly long _total;
    private readonly string _label;
    private int _lastDecile = -1;

    private CliProgress(TextWriter? plain, ProgressTask? task, long total, string label)
    {
        _plain = plain;
        _task = task;
        _total = Math.Max(0, total);
        _label = label;
    }

    /// <summary>Reports <paramref name="done"/> units finished, with an optional status such as the loss.</summary>
    public void Report(long done, string? status = null)
    {
        if (_task is not null)
        {
            _task.Value = Math.Min(done, _total);
            _task.Description = Markup.Escape(status is null ? _label : $"{_label} {status}");
            return;
        }
        double fraction = _total == 0 ? 0 : Math.Clamp((double)done / _total, 0, 1);
        int decile = (int)(fraction * 10);
        if (decile == _lastDecile) return;
        _lastDecile = decile;
        string percent = _total == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" {fraction * 100,3:F0}%");
        string count = _total == 0 ? done.ToString(CultureInfo.InvariantCulture) : $"{done}/{_total}";
        _plain!.WriteLine($"{_label}{percent} {count}{(status is null ? "" : " " + status)}");
    }

    internal static T Run<T>(CliContext context, long total, string label, Func<CliProgress, T> work)
    {
        if (!context.IsInteractive)
        {
            var plain = new CliProgress(context.Error, null, total, label);
            try { return work(plain); }
            finally { context.Error.Flush(); }
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Error),
            Ansi = AnsiSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        return console.Progress()
            .AutoClear(false)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total));
                var result = work(new CliProgress(null, task, total, label));
                task.StopTask();
                return result;
            });
    }

    /// <summary>Formats a duration as <c>42s</c>, <c>3m05s</c> or <c>1h02m</c>.</summary>
    public static string FormatDuration(TimeSpan t) =>
        t.TotalSeconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F0}s")
        : t.TotalMinutes < 60 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:D2}s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:D2}m");
}
