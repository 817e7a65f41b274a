using FsCheck.Xunit;
using NeuroCore.Layout;
using static NeuroCore.Tests.Properties.TestValues;

namespace NeuroCore.Tests.Properties;

/// <summary>
/// Properties of broadcasting and the view/shape algebra, each checked against an independent
/// element-by-element reference computed here from multi-indices (never through the library's
/// stride machinery).
/// </summary>
[Properties(Arbitrary = [typeof(TensorArbitraries)], MaxTest = 100)]
public class ShapeAlgebraProperties
{
    [Property]
    public void BroadcastIsCommutativeAndMatchesNumPyRules(BroadcastCase c)
    {
        var ab = ShapeUtil.Broadcast(c.A, c.B, "test");
        var ba = ShapeUtil.Broadcast(c.B, c.A, "test");
        Assert.Equal(ab, ba);
        // NumPy: align right; missing dims are 1; each result dim is the non-1 one (or 1).
        int rank = Math.Max(c.A.Length, c.B.Length);
        Assert.Equal(rank, ab.Length);
        for (int i = 0; i < rank; i++)
        {
            int da = DimFromRight(c.A, rank - 1 - i), db = DimFromRight(c.B, rank - 1 - i);
            Assert.Equal(da == 1 ? db : da, ab[i]);
        }
    }

    [Property]
    public void BroadcastAgreesWithExplicitExpand(BroadcastCase c)
    {
        var shape = ShapeUtil.Broadcast(c.A, c.B, "test");
        var a = Uniform(c.A, c.Seed, -1f, 1f);
        var b = Uniform(c.B, c.Seed + 1, -1f, 1f);
        var viaBroadcast = (a * b).ToArray();
        var viaExpand = (a.Expand(shape).Contiguous() * b.Expand(shape).Contiguous()).ToArray();
        Assert.Equal(viaExpand, viaBroadcast);
        Assert.Equal(shape, (a * b).Shape);
    }

    [Property]
    public void IncompatibleShapesAreRejectedWithBothShapesInTheMessage(ShapeCase c)
    {
        int d = c.Dim < 0 ? c.Dim + c.Shape.Length : c.Dim;
        if (c.Shape[d] == 1) return;
        var other = (int[])c.Shape.Clone();
        other[d] = c.Shape[d] + 1 == 1 ? 2 : c.Shape[d] + 1; // neither equal nor 1
        var ex = Assert.Throws<ArgumentException>(() => ShapeUtil.Broadcast(c.Shape, other, "add"));
        Assert.Contains(ShapeUtil.Format(c.Shape), ex.Message);
        Assert.Contains(ShapeUtil.Format(other), ex.Message);
    }

    /// <summary>The four arithmetic operators on broadcast, possibly strided, operands against nested loops.</summary>
    [Property]
    public void BroadcastArithmeticEqualsElementLoopsOnStridedViews(BroadcastCase c)
    {
        var shape = ShapeUtil.Broadcast(c.A, c.B, "test");
        var rng = new Random(c.Seed);
        var a = StridedView(c.A, c.Seed, rng);
        var b = StridedView(c.B, c.Seed + 7, rng);
        Assert.Equal(c.A, a.Shape);
        Assert.Equal(c.B, b.Shape);
        var (ra, rb) = (Elements(a), Elements(b));
        foreach (var (name, op, f) in new (string, Func<Tensor, Tensor, Tensor>, Func<float, float, float>)[]
                 {
                     ("add", (x, y) => x + y, (x, y) => x + y),
                     ("sub", (x, y) => x - y, (x, y) => x - y),
                     ("mul", (x, y) => x * y, (x, y) => x * y),
                     ("div", (x, y) => x / y, (x, y) => x / y),
                 })
        {
            var got = op(a, b);
            Assert.Equal(shape, got.Shape);
            var values = got.ToArray();
            int k = 0;
            foreach (var idx in Indices(shape))
            {
                float want = f(ra[BroadcastIndex(idx, c.A)], rb[BroadcastIndex(idx, c.B)]);
                Assert.True(want.Equals(values[k]), $"{name} at [{string.Join(", ", idx)}]: got {values[k]}, want {want}");
                k++;
            }
        }
    }

    [Property]
    public void ReshapeRoundTripPreservesRowMajorOrder(ShapeCase c)
    {
        var x = StridedView(c.Shape, c.Seed, new Random(c.Seed));
        var want = Indices(c.Shape).Select(i => x[i]).ToArray(); // row-major, read element by element
        Assert.Equal(want, x.ToArray());
        var flat = x.Reshape(-1);
        Assert.Equal(want, flat.ToArray());
        var back = flat.Reshape(c.Shape);
        Assert.Equal(c.Shape, back.Shape);
        Assert.Equal(want, back.ToArray());
    }

    [Property]
    public void PermuteAndTransposeRoundTrip(ShapeCase c)
    {
        var x = Uniform(c.Shape, c.Seed, -1f, 1f);
        var rng = new Random(c.Seed);
        var perm = Enumerable.Range(0, c.Shape.Length).ToArray();
        rng.Shuffle(perm);
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;

        var p = x.Permute(perm);
        // Element p[idx] is x[idx permuted back]: check against the multi-index definition.
        var px = Elements(x);
        var pv = p.ToArray();
        int k = 0;
        foreach (var idx in Indices(p.Shape))
        {
            var src = new int[idx.Length];
            for (int i = 0; i < idx.Length; i++) src[perm[i]] = idx[i];
            Assert.Equal(px[Key(src)], pv[k++]);
        }
        Assert.Equal(x.ToArray(), p.Permute(inverse).ToArray());
        Assert.Equal(x.ToArray(), x.Transpose(0, c.Dim).Transpose(0, c.Dim).ToArray());
        Assert.Equal(x.ToArray(), p.Contiguous().Permute(inverse).ToArray());
    }

    /// <summary>StridedLoop visits every element of a strided pair exactly once, in row-major order.</summary>
    [Property]
    public void StridedLoopVisitsEveryElementExactlyOnce(BroadcastCase c)
    {
        var shape = ShapeUtil.Broadcast(c.A, c.B, "test");
        var rng = new Random(c.Seed);
        var a = StridedView(c.A, c.Seed, rng);
        var b = StridedView(c.B, c.Seed + 3, rng);
        var sa = ShapeUtil.BroadcastStrides(a.ShapeRef, a.StridesRef, shape);
        var sb = ShapeUtil.BroadcastStrides(b.ShapeRef, b.StridesRef, shape);

        var visitedA = new List<int>();
        var visitedB = new List<int>();
        Span<int> buffer = stackalloc int[4 * Math.Max(shape.Length, 1)];
        var loop = new StridedLoop(shape, sa, a.Offset, sb, b.Offset, buffer);
        while (loop.MoveNext())
        {
            for (int i = 0; i < loop.RowLength; i++)
            {
                visitedA.Add(loop.OffsetA + i * loop.InnerStrideA);
                visitedB.Add(loop.OffsetB + i * loop.InnerStrideB);
            }
        }
        // The reference offsets, from multi-indices and strides.
        var wantA = new List<int>();
        var wantB = new List<int>();
        foreach (var idx in Indices(shape))
        {
            int oa = a.Offset, ob = b.Offset;
            for (int i = 0; i < idx.Length; i++) { oa += idx[i] * sa[i]; ob += idx[i] * sb[i]; }
            wantA.Add(oa);
            wantB.Add(ob);
        }
        Assert.Equal(wantA, visitedA);
        Assert.Equal(wantB, visitedB);
    }

    // ---- helpers ----

    private static int DimFromRight(int[] shape, int fromRight) =>
        fromRight < shape.Length ? shape[shape.Length - 1 - fromRight] : 1;

    /// <summary>
    /// A tensor of the given shape that is, at random, contiguous, a transpose of a contiguous
    /// tensor, or a narrowed window (offset and strides) of a larger one.
    /// </summary>
    internal static Tensor StridedView(int[] shape, int seed, Random rng)
    {
        switch (rng.Next(3))
        {
            case 0:
                return Uniform(shape, seed, -2f, 2f);
            case 1 when shape.Length >= 2:
            {
                var tshape = (int[])shape.Clone();
                (tshape[0], tshape[^1]) = (tshape[^1], tshape[0]);
                return Uniform(tshape, seed, -2f, 2f).Transpose(0, -1);
            }
            default:
            {
                // Each dimension gets 0–2 extra elements around it, then is narrowed back.
                var pre = shape.Select(_ => rng.Next(3)).ToArray();
                var big = shape.Select((d, i) => d + pre[i] + rng.Next(3)).ToArray();
                var t = Uniform(big, seed, -2f, 2f);
                for (int i = 0; i < shape.Length; i++) t = t.Narrow(i, pre[i], shape[i]);
                return t;
            }
        }
    }

    /// <summary>Every element of <paramref name="t"/> keyed by its multi-index, read element by element with the indexer.</summary>
    private static Dictionary<string, float> Elements(Tensor t)
    {
        var result = new Dictionary<string, float>();
        foreach (var idx in Indices(t.Shape)) result[Key(idx)] = t[idx];
        return result;
    }

    private static string Key(int[] idx) => string.Join(",", idx);

    /// <summary>The multi-index of <paramref name="idx"/> (in the broadcast shape) read from an operand of <paramref name="shape"/>.</summary>
    private static string BroadcastIndex(int[] idx, int[] shape)
    {
        int lead = idx.Length - shape.Length;
        var r = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++) r[i] = shape[i] == 1 ? 0 : idx[lead + i];
        return Key(r);
    }

    /// <summary>All multi-indices of <paramref name="shape"/> in row-major order.</summary>
    internal static IEnumerable<int[]> Indices(int[] shape)
    {
        if (shape.Any(d => d == 0)) yield break;
        var idx = new int[shape.Length];
        while (true)
        {
            yield return (int[])idx.Clone();
            int i = shape.Length - 1;
            for (; i >= 0; i--)
            {
                if (++idx[i] < shape[i]) break;
                idx[i] = 0;
            }
            if (i < 0) yield break;
        }
    }
}
