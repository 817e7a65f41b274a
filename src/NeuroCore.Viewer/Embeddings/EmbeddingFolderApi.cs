using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NeuroCore.Viewer.Embeddings;

/// <summary>
/// The endpoints of registered embedding folders: <c>GET /api/embeddings</c> (the list), <c>GET /api/embeddings/{name}</c>
/// (the folder's <c>embedding.json</c> checked, with the palette, the neighbour space and the sprite's cells),
/// <c>GET /api/embeddings/{name}/sprite.png</c> and the page <c>/embeddings/{name}</c>. Names are looked up in the
/// registered set only; anything else is 404.
/// </summary>
internal static class EmbeddingFolderApi
{
    public static void Map(IEndpointRouteBuilder app, EmbeddingFolders folders)
    {
        app.MapGet("/embeddings/{name}", (string name) =>
            folders.Find(name) is null ? Unknown(name) : StaticAssets.Serve("embedding.html")).ExcludeFromDescription();

        app.MapGet("/api/embeddings", () =>
        {
            var list = new List<object>();
            foreach (var name in folders.Names)
            {
                var entry = folders.Find(name)!;
                try { list.Add(entry.Load(entry.Folder).Summary); }
                catch (Exception e) when (e is ArgumentException or IOException) { list.Add(new { name, error = e.Message }); }
            }
            return Results.Json(list);
        });

        app.MapGet("/api/embeddings/{name}", (string name) =>
        {
            if (folders.Find(name) is not { } entry) return Unknown(name);
            try { return Results.Text(entry.Load(entry.Folder).Json, "application/json"); }
            catch (ArgumentException e) { return ViewerEndpoints.Problem(422, "Unreadable embedding", e.Message); }
            catch (IOException e) { return ViewerEndpoints.Problem(422, "Unreadable embedding", e.Message); }
        });

        app.MapGet("/api/embeddings/{name}/sprite.png", (string name) =>
        {
            if (folders.Find(name) is not { } entry) return Unknown(name);
            try
            {
                if (!entry.Load(entry.Folder).HasSprite || !File.Exists(entry.SpritePath))
                    return ViewerEndpoints.Problem(404, "No sprite", $"Embedding '{name}' has no sprite image (only image data has one).");
                return Results.File(entry.SpritePath, "image/png");
            }
            catch (Exception e) when (e is ArgumentException or IOException) { return ViewerEndpoints.Problem(422, "Unreadable embedding", e.Message); }
        });
    }

    private static IResult Unknown(string name) =>
        ViewerEndpoints.Problem(404, "No such embedding", $"There is no embedding '{(name.Length <= 40 ? name : name[..40] + "…")}' on this server.");
}
