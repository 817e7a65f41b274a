using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>2-D max pooling over NCHW input (stride defaults to the kernel size), like <c>F.max_pool2d</c>.</summary>
    /// <remarks>No padding, floor mode. Backward sends each output's gradient to the first maximum of its
    /// window (overlapping windows accumulate), as torch does.</remarks>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null)
    {
        var (planes, h, w, k, s, oh, ow) = PoolGeometry(input, kernelSize, stride, "max_pool2d");
        var x = input.Contiguous().Detach();
        var xs = x.Storage;
        int xo = x.Offset;
        var data = TensorMemory.Rent(planes * oh * ow); // every output is written
        var argmax = TensorMemory.RentInts(planes * oh * ow);
        ForPlanes(planes, h * w, (from, to) =>
            PoolKernels.MaxForward(xs.AsSpan(xo + from * h * w, (to - from) * h * w), to - from, h, w, k, s, oh, ow,
                data.AsSpan(from * oh * ow, (to - from) * oh * ow), argmax.AsSpan(from * oh * ow, (to - from) * oh * ow)));
        var outShape = (int[])input.ShapeRef.Clone();
        outShape[^2] = oh;
        outShape[^1] = ow;
        var y = Tensor.Wrap(data, outShape);
        if (!GradMode.ShouldRecord(input))
        {
            TensorMemory.ReturnInts(argmax);
            return y;
        }
        var inShape = input.Shape;
        // argmax lives in the graph node only: it goes back to the pool when a backward pass frees the node.
        return GradMode.Record(y, "max_pool2d", [input], onRelease: () => TensorMemory.ReturnInts(argmax), backward: g =>
        {
            var gd = g.Contiguous().Detach();
            var dx = TensorMemory.Rent(planes * h * w); // the kernel clears each plane it scatters into
            var gs = gd.Storage;
            int go = gd.Offset;
            ForPlanes(planes, h * w, (from, to) =>
                PoolKernels.MaxBackward(gs.AsSpan(go + from * oh * ow, (to - from) * oh * ow), argmax.AsSpan(from * oh * ow, (to - from) * oh * ow),
                    to - from, h, w, k, s, oh, ow, dx.AsSpan(from * h * w, (to - from) * h * w)));
            return [Tensor.Wrap(dx, inShape)];
        });
    }

    /// <summary>2-D average pooling over NCHW input (stride defaults to the kernel size), like <c>F.avg_pool2d</c>.</summary>
    /// <remarks>No padding, floor mode; every window is divided by kernelSize².</remarks>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null)
    {
        var (planes, h, w, k, s, oh, ow) = PoolGeometry(input, kernelSize, stride, "avg_pool2d");
        var x = input.Contiguous().Detach();
        var xs = x.Storage;
        int xo = x.Offset;
        var data = TensorMemory.Rent(planes * oh * ow); // every output is written
        ForPlanes(planes, h * w, (from, to) =>
            PoolKernels.AvgForward(xs.AsSpan(xo + from * h * w, (to - from) * h * w), to - from, h, w, k, s, oh, ow,
                data.AsSpan(from * oh * ow, (to - from) * oh * ow)));
        var outShape = (int[])input.ShapeRef.Clone();
        outShape[^2] = oh;
        outShape[^1] = ow;
        var y = Tensor.Wrap(data, outShape);
        if (!GradMode.ShouldRecord(input)) return y;
        var inShape = input.Shape;
        return GradMode.Record(y, "avg_pool2d", [input], g =>
        {
            var gd = g.Contiguous().Detach();
            var dx = TensorMemory.Rent(planes * h * w); // the kernel clears each plane it scatters into
            var gs = gd.Storage;
            int go = gd.Offset;
            ForPlanes(planes, h * w, (from, to) =>
                PoolKernels.AvgBackward(gs.AsSpan(go + from * oh * ow, (to - from) * oh * ow), to - from, h, w, k, s, oh, ow,
                    dx.AsSpan(from * h * w, (to - from) * h * w)));
            return [Tensor.Wrap(dx, inShape)];
        });
    }

    private static (int planes, int h, int w, int k, int s, int oh, int ow) PoolGeometry(Tensor input, int kernelSize, int? stride, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireFloat(op);
        if (input.Rank is not (3 or 4))
            throw new ArgumentException($"{op}: input must be NCHW or CHW, got shape {ShapeUtil.Format(input.ShapeRef)}.");
        int s = stride ?? kernelSize;
        if (kernelSize < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), $"{op}: kernel size must be at least 1, got {kernelSize}.");
        if (s < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"{op}: stride must be at least 1, got {s}.");
        int h = input.ShapeRef[^2], w = input.ShapeRef[^1];
        if (h < kernelSize || w < kernelSize)
            throw new ArgumentException($"{op}: kernel size {kernelSize} is larger than the input's spatial size in {ShapeUtil.Format(input.ShapeRef)}.");
        int planes = ShapeUtil.Numel(input.ShapeRef.AsSpan(0, input.Rank - 2));
        return (planes, h, w, kernelSize, s, (h - kernelSize) / s + 1, (w - kernelSize) / s + 1);
    }

    /// <summary>Runs body(from, to) over plane ranges, in parallel when there is enough work; planes are independent.</summary>
    private static void ForPlanes(int planes, int planeSize, Action<int, int> body)
    {
        // Below ~64K elements a pool is a few microseconds of work: not worth waking a thread.
        int parts = (long)planes * planeSize < (1 << 16) ? 1 : Math.Min(planes, Parallelism.MaxThreads * 2);
        if (parts <= 1)
        {
            body(0, planes);
            return;
        }
        Parallelism.For(parts, i => body((int)((long)planes * i / parts), (int)((long)planes * (i + 1) / parts)));
    }
}
