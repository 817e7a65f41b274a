using System.CommandLine;
using NeuroCore.Service;
using NeuroCore.Service.Options;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore serve</c>: the render service (HTTP API, job engine, render workers).</summary>
internal static class ServeCommand
{
    internal static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder: runs, jobs, results and the embedded job database.", DefaultValueFactory = _ => "neurocore-data" };
        var urls = new Option<string>("--urls") { Description = "Where to listen (';'-separated). A non-loopback address needs --api-key.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var apiKey = new Option<string?>("--api-key") { Description = "Key that writes need ('Authorization: Bearer KEY'); also read from NEUROCORE_API_KEY." };
        var workers = new Option<int>("--workers") { Description = "Render workers in this process (0: API only).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var storage = new Option<string?>("--storage") { Description = "Job storage: sqlite (default, in the data folder) or postgres://user:password@host:port/db." };
        var maxUpload = new Option<long>("--max-upload-bytes") { Description = "Largest upload accepted (413 beyond).", DefaultValueFactory = _ => 1L << 30 };
        var rate = new Option<int>("--rate-limit") { Description = "Requests per second per client on /api (429 beyond).", DefaultValueFactory = _ => 200 };
        var requeue = new Option<double>("--requeue-after") { Description = "Seconds after which a job of a vanished worker is handed to another.", DefaultValueFactory = _ => 300 };
        var segment = new Option<int>("--segment-frames") { Description = "Frames per video segment (segments render in parallel on any worker).", DefaultValueFactory = _ => 150 };
        var maxEntries = new Option<int>("--max-archive-entries") { Description = "Most entries in an uploaded archive (400 beyond).", DefaultValueFactory = _ => 100_000 };
        var maxUnpacked = new Option<long>("--max-unpacked-bytes") { Description = "Most bytes an uploaded archive may unpack to (400 beyond, checked while unpacking).", DefaultValueFactory = _ => 4L << 30 };
        var addRun = new Option<string[]>("--add-run") { Description = "A run folder on this machine to add to the service's runs (repeatable), e.g. demo-output/run.", AllowMultipleArgumentsPerToken = false };
        var addEmbedding = new Option<string[]>("--add-embedding") { Description = "An embedding folder written by 'embed -o DIR' or 'word2vec -o DIR' to show at /embeddings/NAME (repeatable; NAME = the folder's name; checked at start).", AllowMultipleArgumentsPerToken = false };
        var publicReads = new Option<bool>("--public-reads") { Description = "Let any client read runs and jobs without the key (default: loopback only)." };
        var command = new Command("serve", "Run the render service: upload or stream runs, render videos and glTF scenes as jobs, download the results.")
        {
            data, urls, apiKey, workers, storage, addRun, addEmbedding, maxUpload, maxEntries, maxUnpacked, rate, requeue, segment, publicReads,
        };
        command.SetDetails(
            """
            Examples:
              neurocore serve
              neurocore serve --add-run demo-output/run        # then open http://127.0.0.1:5080/runs/run
              neurocore serve --add-embedding out/brown        # then open http://127.0.0.1:5080/embeddings/brown
              neurocore serve --data /srv/neurocore --urls http://0.0.0.0:5080 --api-key KEY
              neurocore serve --storage postgres://neurocore:secret@db:5432/neurocore --workers 0

            Open http://127.0.0.1:5080/ for the viewer and the playground; the HTTP API is in docs/service.md
            (OpenAPI at /openapi/v1.json), scaling out to many machines in docs/scale-out.md.
            """);
        command.SetAction(async (parse, cancellation) =>
        {
            var options = new ServeOptions
            {
                DataFolder = parse.GetValue(data)!,
                Urls = parse.GetValue(urls)!,
                ApiKey = parse.GetValue(apiKey) ?? NullIfEmpty(Environment.GetEnvironmentVariable("NEUROCORE_API_KEY")),
                Workers = parse.GetValue(workers),
                Storage = parse.GetValue(storage),
                PublicReads = parse.GetValue(publicReads),
                AddRuns = parse.GetValue(addRun) ?? [],
                AddEmbeddings = parse.GetValue(addEmbedding) ?? [],
                RequeueAfter = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(requeue))),
                Limits = new ServiceLimits
                {
                    MaxUploadBytes = parse.GetValue(maxUpload),
                    MaxArchiveEntries = parse.GetValue(maxEntries),
                    MaxUncompressedBytes = parse.GetValue(maxUnpacked),
                    RequestsPerSecond = parse.GetValue(rate),
                    RequestBurst = Math.Max(parse.GetValue(rate), 2 * parse.GetValue(rate)),
                    SegmentFrames = parse.GetValue(segment),
                },
            };
            try
            {
                await ServiceHost.RunServeAsync(options, Console.Out, cancellation);
                return 0;
            }
            catch (Exception e) when (e is ServiceConfigurationException or NeuroCore.Service.Runs.RunRejectedException or ArgumentException or IOException)
            {
                CliContext.For(parse).Error.WriteLine($"error: {EmbedCommand.OneLine(e.Message)}");
                return 1;
            }
        });
        return command;
    }

    internal static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
