namespace NeuroCore.Service.Tests;

/// <summary>One <c>neurocore serve</c> process (2 render workers, an API key) shared by the tests of a class.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    /// <summary>The key writes need.</summary>
    public const string Key = "test-key-0123456789";

    /// <summary>The service process.</summary>
    public ServiceProcess Service { get; private set; } = null!;

    /// <summary>Its data folder.</summary>
    public string Data { get; } = Temp.NewFolder("data");

    /// <summary>A client carrying the key.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Service = await ServiceProcess.StartServeAsync(Data, "--workers", "2", "--api-key", Key, "--max-upload-bytes", "4000000", "--segment-frames", "8");
        Client = Service.Client(Key);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        Service.Dispose();
        return ValueTask.CompletedTask;
    }
}
