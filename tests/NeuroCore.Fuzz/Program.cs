using NeuroCore.Tests.Fuzz;

// Usage (see tests/README.md):
//   NeuroCore.Fuzz seeds  DIR          write each target's valid seed files into DIR/<target>/ (AFL's input corpus)
//   NeuroCore.Fuzz TARGET              run under afl-fuzz (SharpFuzz out-of-process mode), reading inputs from AFL
//   NeuroCore.Fuzz TARGET FILE...      replay inputs (a crash AFL found, or a file the seeded tests saved)
// Only the target's documented format exception is expected; any other exception is a crash for AFL.
// Run "seeds" and replays with the plain build: instrumented code works only inside SharpFuzz's loop.
if (args.Length == 0 || (args[0] != "seeds" && !FuzzTargets.All.ContainsKey(args[0])))
{
    Console.Error.WriteLine($"usage: NeuroCore.Fuzz seeds DIR | TARGET [FILE...]   (targets: {string.Join(", ", FuzzTargets.All.Keys)})");
    return 2;
}
if (args[0] == "seeds")
{
    foreach (var (name, t) in FuzzTargets.All)
    {
        var dir = Directory.CreateDirectory(Path.Combine(args.Length > 1 ? args[1] : "corpus", name));
        var seeds = t.Seeds();
        for (int i = 0; i < seeds.Length; i++) File.WriteAllBytes(Path.Combine(dir.FullName, $"seed-{i}.bin"), seeds[i]);
    }
    return 0;
}

var target = FuzzTargets.All[args[0]];
// The readers take a path (CSV and IDX name the file in their errors), so each input goes through one scratch file.
string scratch = Path.Combine(Path.GetTempPath(), $"neurocore-fuzz-{Environment.ProcessId}.bin");

void RunOne(byte[] input)
{
    File.WriteAllBytes(scratch, input);
    try
    {
        target.Read(scratch);
    }
    catch (Exception e) when (e.GetType() == target.Documented)
    {
    }
}

if (args.Length > 1)
{
    foreach (var file in args[1..])
    {
        try
        {
            RunOne(File.ReadAllBytes(file));
            Console.WriteLine($"{file}: ok");
        }
        catch (Exception e)
        {
            Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }
    return 0;
}

SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
{
    using var ms = new MemoryStream();
    stream.CopyTo(ms);
    RunOne(ms.ToArray());
});
return 0;
