using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace NeuroCore.Service.Tests;

/// <summary>A service with small caps for the hostile-input tests.</summary>
public sealed class SmallLimitsFixture : IAsyncLifetime
{
    /// <summary>The key writes need.</summary>
    public const string Key = "limits-key";

    /// <summary>The service.</summary>
    public ServiceProcess Service { get; private set; } = null!;

    /// <summary>Its data folder.</summary>
    public string Data { get; } = Temp.NewFolder("limits");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        Service = await ServiceProcess.StartServeAsync(Data, "--workers", "1", "--api-key", Key,
            "--max-upload-bytes", "2000000", "--max-archive-entries", "200", "--max-unpacked-bytes", "20000000", "--rate-limit", "1000");

    /// <inheritdoc />
    public ValueTask DisposeAsync() { Service.Dispose(); return ValueTask.CompletedTask; }
}

/// <summary>Everything a stranger can send: each answered with the right status and a problem naming what is wrong, nothing left behind.</summary>
public sealed class BadInputTests(SmallLimitsFixture fixture) : IClassFixture<SmallLimitsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonElement Problem)> PostAsync(byte[] body, string url = "/api/runs", string? key = SmallLimitsFixture.Key, bool chunked = false)
    {
        using var client = fixture.Service.Client(key);
        HttpContent content = chunked ? new StreamContent(new NonSeekable(body)) : new ByteArrayContent(body);
        using var response = await client.PostAsync(url, content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement : default);
    }

    private void AssertNothingLeft()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(fixture.Data, "staging")));
    }

    private static void AssertProblem(JsonElement problem, int status, string contains)
    {
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.True(detail.Contains(contains, StringComparison.OrdinalIgnoreCase), $"'{detail}' does not mention '{contains}'");
    }

    private static byte[] TarOf(Action<TarWriter> write)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true)) write(w);
        return ms.ToArray();
    }

    private static PaxTarEntry FileEntry(string name, byte[] data) => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) };

    [Fact]
    public async Task Too_large_uploads_are_413_with_or_without_a_length()
    {
        var big = new byte[2_500_000];
        new Random(1).NextBytes(big);
        var (status, problem) = await PostAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertProblem(problem, 413, "limit");
        (status, problem) = await PostAsync(big, chunked: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertNothingLeft();
    }

    [Fact]
    public async Task An_archive_bomb_stops_at_the_unpacked_cap_and_leaves_nothing()
    {
        // 100 MB of zeros compress to about 100 KB; the cap is 20 MB.
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var w = new TarWriter(gz, TarEntryFormat.Pax, leaveOpen: true))
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new ZeroStream(100_000_000) });
        Assert.True(ms.Length < 2_000_000);
        var (status, problem) = await PostAsync(ms.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertProblem(problem, 400, "unpacks to more than");
        AssertNothingLeft();
    }

    [Fact]
    public async Task Too_many_entries_are_refused()
    {
        var tar = TarOf(w => { for (int i = 0; i < 300; i++) w.WriteEntry(FileEntry($"f{i}.txt", [1])); });
        var (status, problem) = await PostAsync(tar);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertProblem(problem, 400, "more than 200 entries");
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_zip_declaring_too_many_entries_is_refused_before_its_directory_is_read()
    {
        var zip = new MemoryStream();
        using (var z = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            for (int i = 0; i < 300; i++) z.CreateEntry($"e{i}");
        var (status, problem) = await PostAsync(zip.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertProblem(problem, 400, "declares 300");
        AssertNothingLeft();
    }

    [Theory]
    [InlineData("../escape.txt", "outside")]
    [InlineData("snapshots/../../escape.txt", "outside")]
    [InlineData("/etc/escape.txt", "absolute")]
    public async Task Entries_leaving_the_archive_are_refused(string name, string message)
    {
        var (status, problem) = await PostAsync(TarOf(w => w.WriteEntry(FileEntry(name, "x"u8.ToArray()))));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertProblem(problem, 400, message);
        var zip = new MemoryStream();
        using (var z = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            using (var s = z.CreateEntry(name).Open()) s.Write("x"u8);
        (status, problem) = await PostAsync(zip.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertProblem(problem, 400, message);
        AssertNothingLeft();
        Assert.False(File.Exists(Path.Combine(fixture.Data, "escape.txt")));
        Assert.False(File.Exists("/etc/escape.txt"));
    }

    [Fact]
    public async Task Links_and_devices_are_refused()
    {
        var symlink = TarOf(w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "manifest.json") { LinkName = "/etc/passwd" }));
        var (status, problem) = await PostAsync(symlink);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertProblem(problem, 400, "link");
        var hardlink = TarOf(w => w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "manifest.json") { LinkName = "/etc/passwd" }));
        (status, problem) = await PostAsync(hardlink);
        AssertProblem(problem, 400, "link");
        var device = TarOf(w => w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3 }));
        (status, problem) = await PostAsync(device);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertProblem(problem, 400, "device");
        var fifo = TarOf(w => w.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "pipe")));
        (status, problem) = await PostAsync(fifo);
        AssertProblem(problem, 400, "pipe");
        // A zip symlink: Unix mode 0120777 in the external attributes.
        var zip = new MemoryStream();
        using (var z = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            var e = z.CreateEntry("manifest.json");
            e.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
            using var s = e.Open();
            s.Write("/etc/passwd"u8);
        }
        (status, problem) = await PostAsync(zip.ToArray());
        AssertProblem(problem, 400, "link");
        AssertNothingLeft();
    }

    [Fact]
    public async Task Not_an_archive_is_400()
    {
        var (status, problem) = await PostAsync(Encoding.UTF8.GetBytes("just some text, not an archive at all"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertProblem(problem, 400, ".tar, .tar.gz or .zip");
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_run_the_reader_rejects_is_422_with_its_message()
    {
        using var client = fixture.Service.Client();
        // Other tests of this class share the service and upload runs of their own: compare, don't expect none.
        var before = (await client.GetFromJsonAsync<JsonElement[]>("/api/runs", Ct) ?? []).Select(r => r.GetProperty("id").GetString()).ToHashSet();
        var noManifest = TarOf(w => w.WriteEntry(FileEntry("index.jsonl", "{}\n"u8.ToArray())));
        var (status, problem) = await PostAsync(noManifest);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        AssertProblem(problem, 422, "manifest.json");
        var corrupt = TarOf(w => w.WriteEntry(FileEntry("manifest.json", "{\"format\": \"something-else\"}"u8.ToArray())));
        (status, problem) = await PostAsync(corrupt);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.DoesNotContain(fixture.Data, problem.GetProperty("detail").GetString()!);
        AssertNothingLeft();
        var after = (await client.GetFromJsonAsync<JsonElement[]>("/api/runs", Ct) ?? []).Select(r => r.GetProperty("id").GetString());
        Assert.DoesNotContain(after, id => !before.Contains(id) && id != "contended"); // neither rejected upload became a run
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems()
    {
        using var client = fixture.Service.Client(SmallLimitsFixture.Key);
        foreach (var url in new[] { "/api/runs/nope", "/api/jobs/nope", "/api/jobs/nope/result", "/api/runs/nope/live", "/api/nothing-here" })
        {
            using var r = await client.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        }
        using var render = await client.PostAsJsonAsync("/api/runs/nope/renders", new { kind = "video" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, render.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/runs/nope", Ct)).StatusCode);
    }

    [Fact]
    public async Task Writes_without_or_with_a_wrong_key_are_401()
    {
        var (status, problem) = await PostAsync(TestRuns.TarGz(TestRuns.SpiralFolder), key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertProblem(problem, 401, "API key");
        (status, problem) = await PostAsync(TestRuns.TarGz(TestRuns.SpiralFolder), key: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertProblem(problem, 401, "wrong");
        using var anonymous = fixture.Service.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/runs/x", Ct)).StatusCode);
        using var put = await anonymous.PutAsync("/api/runs/x/live/manifest", new ByteArrayContent([1]), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        // Reads from loopback stay public.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/runs", Ct)).StatusCode);
        AssertNothingLeft();
    }

    [Fact]
    public async Task Bad_render_requests_are_400_naming_the_field()
    {
        using var client = fixture.Service.Client(SmallLimitsFixture.Key);
        using (var up = await client.PostAsync("/api/runs?id=for-renders", new ByteArrayContent(TestRuns.TarGz(TestRuns.SpiralFolder)), Ct))
            Assert.True(up.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        foreach (var (body, expect) in new (object, string)[]
        {
            (new { kind = "hologram" }, "kind"),
            (new { kind = "video", format = "glb" }, "format"),
            (new { kind = "video", width = 100000 }, "width"),
            (new { kind = "video", format = "mp4", width = 101, height = 100 }, "even"),
            (new { kind = "video", fps = -1 }, "fps"),
            (new { kind = "gltf-timeline", step = 3 }, "step"),
        })
        {
            using var r = await client.PostAsJsonAsync("/api/runs/for-renders/renders", body, Ct);
            var problem = await r.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            AssertProblem(problem, 400, expect);
        }
        using var missingStep = await client.PostAsJsonAsync("/api/runs/for-renders/renders", new { kind = "gltf-step", step = 999_999 }, Ct);
        var job = await Media.WaitForJobAsync(client, missingStep.Headers.Location!.ToString(), TimeSpan.FromMinutes(1));
        Assert.Equal("failed", job.GetProperty("state").GetString());
        Assert.Contains("999999", job.GetProperty("error").GetString());
        Assert.Contains("nearest:", job.GetProperty("error").GetString()); // names the recorded steps around it
    }

    [Fact]
    public async Task Concurrent_uploads_of_one_id_cannot_corrupt_each_other()
    {
        var archive = TestRuns.TarGz(TestRuns.SpiralFolder);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ => (await PostAsync(archive, "/api/runs?id=contended")).Status));
        Assert.Equal(1, results.Count(s => s == HttpStatusCode.Created));
        Assert.All(results.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        var run = NeuroCore.Snapshots.TrainingRun.Open(Path.Combine(fixture.Data, "runs", "contended"));
        Assert.Empty(run.Warnings);
        Assert.Equal(Directory.GetFiles(Path.Combine(TestRuns.SpiralFolder, "snapshots")).Length, run.Snapshots.Count);
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_client_over_the_rate_limit_gets_429()
    {
        var data = Temp.NewFolder("rate");
        using var service = await ServiceProcess.StartServeAsync(data, "--workers", "0", "--rate-limit", "5");
        using var client = service.Client();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ => { using var r = await client.GetAsync("/api/runs", Ct); return (r.StatusCode, await r.Content.ReadAsStringAsync(Ct)); }));
        Assert.Contains(statuses, s => s.StatusCode == HttpStatusCode.OK);
        var limited = statuses.Where(s => s.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        AssertProblem(JsonDocument.Parse(limited[0].Item2).RootElement, 429, "requests per second");
        // Health is never rate limited; without any worker the service is alive but not ready.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Ct)).StatusCode);
        using var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("no worker is running", await ready.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public void Listening_beyond_loopback_without_a_key_is_refused()
    {
        var (code, output) = ServiceProcess.RunToExit(TimeSpan.FromSeconds(60), "serve", "--data", Temp.NewFolder("open"), "--urls", "http://0.0.0.0:0");
        Assert.Equal(1, code);
        Assert.Contains("refusing to listen on http://0.0.0.0:0 without an API key", output);
    }

    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => _position = value; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => _position = origin == SeekOrigin.Begin ? offset : origin == SeekOrigin.End ? length + offset : _position + offset;
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
