using System.CommandLine;
using NeuroCore.Service;
using NeuroCore.Service.Options;

namespace NeuroCore.Cli.Commands;

/// <summary><c>neurocore worker</c>: a render worker for a scaled-out service (shared PostgreSQL job storage and data folder).</summary>
internal static class WorkerCommand
{
    internal static Command Create()
    {
        var storage = new Option<string>("--storage") { Description = "The shared job storage: postgres://user:password@host:port/db.", Required = true };
        var data = new Option<string>("--data") { Description = "The shared data folder (the one the service uses, e.g. an NFS mount).", Required = true };
        var workers = new Option<int>("--workers") { Description = "Render workers in this process.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var name = new Option<string?>("--name") { Description = "Name of this worker in job metadata (default host:pid)." };
        var requeue = new Option<double>("--requeue-after") { Description = "Seconds after which a job of a vanished worker is handed to another.", DefaultValueFactory = _ => 300 };
        var command = new Command("worker", "Run render workers on a shared job storage (PostgreSQL) and data folder, on this or any machine.")
        {
            storage, data, workers, name, requeue,
        };
        command.SetDetails(
            """
            Examples:
              neurocore worker --storage postgres://neurocore:secret@db:5432/neurocore --data /mnt/shared/neurocore

            Runs render jobs from the shared PostgreSQL job storage; --data must be the same shared folder the
            service uses. See docs/scale-out.md.
            """);
        command.SetAction(async (parse, cancellation) =>
        {
            var options = new WorkerOptions
            {
                Storage = parse.GetValue(storage)!,
                DataFolder = parse.GetValue(data)!,
                Workers = parse.GetValue(workers),
                WorkerName = parse.GetValue(name),
                RequeueAfter = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(requeue))),
            };
            try
            {
                await ServiceHost.RunWorkerAsync(options, Console.Out, cancellation);
                return 0;
            }
            catch (Exception e) when (e is ServiceConfigurationException or ArgumentException or IOException or Npgsql.NpgsqlException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
