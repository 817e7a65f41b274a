using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace NeuroCore.Service.Security;

/// <summary>Endpoint filters that apply the <see cref="AccessPolicy"/> (401 problem details when refused).</summary>
public static class AccessFilters
{
    /// <summary>Writes need the key when one is configured.</summary>
    public static TBuilder RequireWriteAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var policy = context.HttpContext.RequestServices.GetRequiredService<AccessPolicy>();
            return policy.MayWrite(context.HttpContext) ? await next(context) : Unauthorized(context.HttpContext);
        });

    /// <summary>Reads need the key from non-loopback clients unless reads are public.</summary>
    public static TBuilder RequireReadAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var policy = context.HttpContext.RequestServices.GetRequiredService<AccessPolicy>();
            return policy.MayRead(context.HttpContext) ? await next(context) : Unauthorized(context.HttpContext);
        });

    private static IResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        bool sent = context.Request.Headers.Authorization.Count > 0;
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: sent ? "the API key in the Authorization header is wrong." : "this request needs the API key: send 'Authorization: Bearer KEY'.");
    }
}
