using System.Text.Json;

namespace NeuroCore.Tests.Conformance;

/// <summary>Parsing helpers for the conformance case format (see ../shared/conformance/README.md).</summary>
public static class CaseFile
{
    /// <summary>Reads <c>{"dtype", "shape", "data"}</c> into a tensor (float32 or int64).</summary>
    public static Tensor ReadTensor(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var dtype = e.TryGetProperty("dtype", out var d) ? d.GetString() : "float32";
        var data = e.GetProperty("data");
        return dtype switch
        {
            "float32" => Tensor.FromArray(data.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray(), shape),
            "int64" => Tensor.FromArray(data.EnumerateArray().Select(x => x.GetInt64()).ToArray(), shape),
            _ => throw new NotSupportedException($"Unknown dtype '{dtype}'."),
        };
    }

    /// <summary>The expected values of a tensor entry, in double, and its shape.</summary>
    public static (double[] Data, int[] Shape) ReadExpected(JsonElement e) =>
        (e.GetProperty("data").EnumerateArray().Select(x => x.GetDouble()).ToArray(),
         e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray());

    public static (double Rtol, double Atol) ReadTolerance(JsonElement root)
    {
        var t = root.GetProperty("tolerance");
        return (t.GetProperty("rtol").GetDouble(), t.GetProperty("atol").GetDouble());
    }

    /// <summary>Asserts <paramref name="got"/> matches an expected tensor entry in shape and values.</summary>
    public static void AssertMatches(JsonElement expected, Tensor got, double rtol, double atol, string what)
    {
        var (data, shape) = ReadExpected(expected);
        Assert.True(got.Shape.AsSpan().SequenceEqual(shape),
            $"{what}: shape [{string.Join(", ", got.Shape)}], expected [{string.Join(", ", shape)}].");
        Infrastructure.TensorAssert.Close(data, got.ToArray(), rtol, atol, what);
    }
}
