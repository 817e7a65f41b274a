using System.Diagnostics;

namespace NeuroCore.Viewer.Playground;

/// <summary>
/// One person's playground: a training on its own thread (start, pause, single step, reset) and the
/// latest live frame. Its id is 128 random bits, the only key to it: sessions cannot see each other.
/// </summary>
public sealed class PlaygroundSession : IDisposable
{
    private readonly Func<string> _newRunFolder;
    private readonly ViewerOptions _options;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private PlaygroundTraining _training;
    private bool _running;
    private int _pendingSteps;
    private long _lastSeenTicks;
    private Dictionary<string, object?>? _frame;
    private long _frameVersion;
    private int _frameProbe;

    internal PlaygroundSession(string id, PlaygroundConfig config, Func<string> newRunFolder, ViewerOptions options)
    {
        Id = id;
        Config = config;
        _newRunFolder = newRunFolder;
        _options = options;
        _training = NewTraining();
        Touch();
        _thread = new Thread(Loop) { IsBackground = true, Name = "playground " + id[..8], Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>The session's secret id.</summary>
    public string Id { get; }

    /// <summary>The configuration it trains.</summary>
    public PlaygroundConfig Config { get; }

    /// <summary>The id of the run the current training records into (a new one after <see cref="Reset"/>).</summary>
    public string RunId { get; private set; } = "";

    /// <summary>"running", "paused", "finished" (the step limit was reached) or "stopped".</summary>
    public string State { get; private set; } = "paused";

    /// <summary>Why the training stopped, when it did.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Time since anyone last used the session (a command or an open stream).</summary>
    public TimeSpan Idle => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSeenTicks));

    /// <summary>Marks the session as in use (an open stream calls it on every frame).</summary>
    public void Touch() => Interlocked.Exchange(ref _lastSeenTicks, Stopwatch.GetTimestamp());

    /// <summary>Starts (or resumes) training.</summary>
    public void Start() => Command(() => { if (State == "paused") { _running = true; State = "running"; } });

    /// <summary>Pauses training and records the current state as a snapshot.</summary>
    public void Pause() => Command(() => { if (State == "running") { _running = false; State = "paused"; _pendingSteps = -1; } });

    /// <summary>Takes one optimizer step while paused (recorded as a snapshot).</summary>
    public void SingleStep() => Command(() => { if (State == "paused") _pendingSteps++; });

    /// <summary>Throws the training away and starts a fresh one (new weights, new run); paused.</summary>
    public void Reset() => Command(() => { _running = false; State = "paused"; _pendingSteps = int.MinValue; });

    /// <summary>Stops the training for good (the run is completed) and ends the session's thread.</summary>
    public void Stop(string reason)
    {
        lock (_gate)
        {
            if (State == "stopped") return;
            StopReason = reason;
        }
        _stop.Cancel();
        _wake.Release();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(10));
    }

    /// <summary>The newest frame for probe <paramref name="probe"/>, if it is newer than <paramref name="version"/>.</summary>
    internal (Dictionary<string, object?>? Frame, long Version) FrameAfter(long version, int probe)
    {
        lock (_gate)
        {
            if (probe != _frameProbe) { _frameProbe = probe; _frameVersion++; _frame = null; _wake.Release(); }
            return _frameVersion > version && _frame is not null ? (_frame, _frameVersion) : (null, version);
        }
    }

    /// <summary>The 2-D points of the dataset for the decision panel (null for digits).</summary>
    internal object? Points() { lock (_gate) return _training.Points(); }

    private void Command(Action change)
    {
        Touch();
        lock (_gate)
        {
            if (State is "stopped") throw new InvalidOperationException($"The session has stopped ({StopReason}); create a new one.");
            change();
        }
        _wake.Release();
    }

    private PlaygroundTraining NewTraining()
    {
        var folder = _newRunFolder();
        RunId = Path.GetFileName(folder);
        return new PlaygroundTraining(Config, folder, _options.PlaygroundMaxSteps, _options.PlaygroundMaxSnapshots, _options.PlaygroundMaxParameters);
    }

    private void Loop()
    {
        var frameInterval = TimeSpan.FromSeconds(1.0 / _options.PlaygroundFramesPerSecond);
        var lastFrame = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var dirty = true;
        // Steps the pace allows (PlaygroundStepsPerSecond): refilled by the running time, capped at a tenth of a
        // second's worth so that a pause or a slow frame is not made up in one burst.
        double allowance = 0;
        var paced = Stopwatch.StartNew();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                bool running; int pending; int probe;
                lock (_gate) { running = _running; pending = _pendingSteps; _pendingSteps = 0; probe = _frameProbe; if (_frame is null) dirty = true; }

                if (pending == int.MinValue)
                {
                    _training.Complete();
                    var fresh = NewTraining();
                    lock (_gate) _training = fresh;
                    dirty = true;
                }
                else if (pending < 0) { _training.Snapshot(); dirty = true; }
                else for (var i = 0; i < pending && _training.Step < _options.PlaygroundMaxSteps; i++) { _training.TrainStep(snapshot: true); dirty = true; }

                double rate = _options.PlaygroundStepsPerSecond;
                allowance = running ? Math.Min(allowance + paced.Elapsed.TotalSeconds * rate, Math.Max(1, rate / 10)) : 0;
                paced.Restart();
                if (running)
                {
                    // Train in slices of ~25 ms so frames go out on time and the machine is shared fairly.
                    var slice = Stopwatch.StartNew();
                    while (slice.ElapsedMilliseconds < 25 && allowance >= 1 && _training.Step < _options.PlaygroundMaxSteps)
                    {
                        _training.TrainStep();
                        allowance--;
                    }
                    dirty = true;
                    if (_training.Step >= _options.PlaygroundMaxSteps)
                    {
                        _training.Snapshot();
                        lock (_gate) { _running = false; State = "finished"; StopReason = $"the step limit ({_options.PlaygroundMaxSteps:N0}) was reached"; }
                    }
                }
                if (Idle > _options.PlaygroundIdleTimeout)
                {
                    lock (_gate) StopReason = $"nobody watched it for {_options.PlaygroundIdleTimeout.TotalSeconds:0} s";
                    break;
                }
                if (dirty && clock.Elapsed - lastFrame >= frameInterval)
                {
                    var frame = _training.Frame(probe);
                    lock (_gate)
                    {
                        frame["state"] = State;
                        frame["runId"] = RunId;
                        frame["version"] = _frameVersion + 1;
                        _frame = frame;
                        _frameVersion++;
                    }
                    lastFrame = clock.Elapsed;
                    dirty = false;
                }
                if (!running) _wake.Wait(dirty ? frameInterval : TimeSpan.FromMilliseconds(250));
                else Thread.Sleep(2); // leave the cores to others for a moment between slices
            }
        }
        finally
        {
            try { _training.Snapshot(); _training.Complete(); } catch (IOException) { }
            lock (_gate) State = "stopped";
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop("the server is shutting down");
        _stop.Dispose();
        _wake.Dispose();
    }
}
