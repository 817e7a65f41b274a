using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeuroCore.Service.Tests.Viewer;

/// <summary>
/// The documented access rule of the viewer and playground on a service with an API key (docs/service.md, "The key"):
/// pages, view data and the playground follow the read rule (open to loopback clients, playground POSTs included);
/// render requests, which the page's export buttons send, remain writes that need the key.
/// </summary>
public sealed class ViewerAccessTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_a_keyed_service_a_loopback_browser_may_view_and_use_the_playground_but_not_render()
    {
        using var anonymous = fixture.Service.Client(); // no key, from 127.0.0.1, like the page
        using (var body = new ByteArrayContent(TestRuns.TarGz(TestRuns.SpiralFolder)))
        using (var up = await fixture.Client.PostAsync("/api/runs?id=access-run", body, Ct))
            Assert.Equal(HttpStatusCode.Created, up.StatusCode);

        using (var page = await anonymous.GetAsync("/runs/access-run", Ct)) Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using (var view = await anonymous.GetAsync("/api/runs/access-run/view", Ct)) Assert.Equal(HttpStatusCode.OK, view.StatusCode);

        using var created = await anonymous.PostAsJsonAsync("/api/playground/sessions", new { dataset = "xor", layers = new[] { 4 } }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sid = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sessionId").GetString();
        using (var step = await anonymous.PostAsync($"/api/playground/sessions/{sid}/step", null, Ct)) Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        using (var gone = await anonymous.DeleteAsync($"/api/playground/sessions/{sid}", Ct)) Assert.True(gone.IsSuccessStatusCode, $"{gone.StatusCode}");

        using var render = await anonymous.PostAsJsonAsync("/api/runs/access-run/renders", new { kind = "gltf-step", format = "glb" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, render.StatusCode);
        Assert.Contains("needs the API key", await render.Content.ReadAsStringAsync(Ct));
    }
}
