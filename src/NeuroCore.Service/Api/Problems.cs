using Microsoft.AspNetCore.Http;

namespace NeuroCore.Service.Api;

/// <summary>RFC 7807 problem answers with a detail naming what is wrong.</summary>
internal static class Problems
{
    public static IResult NotFound(string what) => Results.Problem(statusCode: 404, title: "Not Found", detail: what);
    public static IResult BadRequest(string detail) => Results.Problem(statusCode: 400, title: "Bad Request", detail: detail);
    public static IResult Conflict(string detail) => Results.Problem(statusCode: 409, title: "Conflict", detail: detail);
    public static IResult TooLarge(string detail) => Results.Problem(statusCode: 413, title: "Payload Too Large", detail: detail);
    public static IResult Unprocessable(string detail) => Results.Problem(statusCode: 422, title: "Unprocessable Content", detail: detail);
}
