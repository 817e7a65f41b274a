using System.Buffers;
using System.Numerics.Tensors;
using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore.NN;

public static partial class Functional
{
    // Backward sums the weight gradient over the batch in this many fixed groups (partial sums added in
    // group order), so the result is the same whatever the thread count.
    private const int ConvGradGroups = 16;

    // Up to this depth (C·KH·KW) the forward product skips the packed GEMM (see ConvKernels.ShallowProduct).
    private const int ShallowConvDepth = 16;

    /// <summary>2-D convolution of an NCHW input with OIHW weights, like <c>F.conv2d</c>.</summary>
    /// <remarks>
    /// Lowered to GEMM per image: im2col unfolds the receptive fields into a (C·KH·KW)×(OH·OW) matrix
    /// and y[n] = W[O, C·KH·KW] · col (+ bias). Images are processed in parallel. Backward: dx by
    /// Wᵀ·g[n] folded back with col2im, dW = Σₙ g[n]·colᵀ, db = Σ g.
    /// </remarks>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0) =>
        Conv2d(input, weight, bias, stride, padding, relu: false);

    /// <summary>
    /// <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int)"/>, followed by ReLU when <paramref name="relu"/> is set:
    /// the same values and gradients as the two ops (the same kernels), but the activation is applied to each
    /// image's output while it is still in cache, and its mask to each image's gradient inside the backward
    /// loop, with no separate pass, tensor or graph node for the ReLU. <see cref="Sequential"/> uses it for a
    /// Conv2d followed by ReLU that nothing else observes.
    /// </summary>
    internal static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int stride, int padding, bool relu)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        input.RequireFloat("conv2d");
        weight.RequireFloat("conv2d");
        if (input.Rank != 4)
            throw new ArgumentException($"conv2d: input must be NCHW (rank 4), got shape {ShapeUtil.Format(input.ShapeRef)}.");
        if (weight.Rank != 4)
            throw new ArgumentException($"conv2d: weight must be OIHW (rank 4), got shape {ShapeUtil.Format(weight.ShapeRef)}.");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"conv2d: stride must be at least 1, got {stride}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"conv2d: padding must not be negative, got {padding}.");
        int n = input.ShapeRef[0], c = input.ShapeRef[1], h = input.ShapeRef[2], w = input.ShapeRef[3];
        int o = weight.ShapeRef[0], kh = weight.ShapeRef[2], kw = weight.ShapeRef[3];
        if (weight.ShapeRef[1] != c)
            throw new ArgumentException(
                $"conv2d: input {ShapeUtil.Format(input.ShapeRef)} has {c} channels but weight {ShapeUtil.Format(weight.ShapeRef)} expects {weight.ShapeRef[1]}.");
        if (bias is not null)
        {
            bias.RequireFloat("conv2d");
            if (bias.Rank != 1 || bias.ShapeRef[0] != o)
                throw new ArgumentException($"conv2d: bias must have shape [{o}] for weight {ShapeUtil.Format(weight.ShapeRef)}, got {ShapeUtil.Format(bias.ShapeRef)}.");
        }
        int oh = (h + 2 * padding - kh) / stride + 1, ow = (w + 2 * padding - kw) / stride + 1;
        if (kh < 1 || kw < 1 || h + 2 * padding < kh || w + 2 * padding < kw)
            throw new ArgumentException(
                $"conv2d: kernel {kh}×{kw} does not fit input {ShapeUtil.Format(input.ShapeRef)} with padding {padding} (weight {ShapeUtil.Format(weight.ShapeRef)}).");

        var geo = new ConvGeometry(c, h, w, kh, kw, stride, padding, oh, ow);
        var x = input.Contiguous().Detach();
        var wt = weight.Contiguous().Detach();
        float[] xs = x.Storage, ws = wt.Storage;
        int xo = x.Offset, wo = wt.Offset;
        float[]? bv = bias?.Contiguous().ToArray();
        var data = TensorMemory.Rent(n * o * oh * ow); // fully written: bias rows or the GEMM with beta = 0
        var call = new ConvCall(geo, n, o, input, weight, bias, x, wt, bv, data, relu);
        ForEachImage(n, geo, call.ForwardImage);
        var y = Tensor.Wrap(data, n, o, oh, ow);

        if (!GradMode.ShouldRecord(input, weight, bias)) return y;
        Tensor[] inputs = bias is null ? [input, weight] : [input, weight, bias];
        return GradMode.Record(y, relu ? "conv2d_relu" : "conv2d", inputs, call.Backward);
    }

    /// <summary>
    /// One call of <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int, bool)"/>, in named stages. Forward:
    /// <see cref="ForwardImage"/> per image (images in parallel). <see cref="Backward"/>: <see cref="ImageGradients"/>
    /// per group of images in parallel (ReLU mask, bias and weight partial sums per group, the input gradient by
    /// col2im in <see cref="InputGradient"/>), then <see cref="SumWeightPartials"/> and <see cref="SumBiasPartials"/>
    /// add the group partials in group order, so the result is the same for any thread count.
    /// </summary>
    private sealed class ConvCall(ConvGeometry geo, int n, int o, Tensor input, Tensor weight, Tensor? bias,
        Tensor x, Tensor wt, float[]? bv, float[] output, bool relu)
    {
        // Derived sizes are computed, not stored: one of these objects is allocated per conv2d call.
        private int P => geo.Oh * geo.Ow;
        private int Chw => geo.C * geo.H * geo.W;
        private int Groups => Math.Min(n, ConvGradGroups);

        /// <summary>y[img] = W · col(x[img]) (+ bias), then ReLU when fused.</summary>
        public void ForwardImage(int img, Span<float> col, int threads)
        {
            int p = P, ckk = geo.Ckk, chw = Chw;
            float[] xs = x.Storage, ws = wt.Storage;
            int xo = x.Offset, wo = wt.Offset;
            var yImg = output.AsSpan(img * o * p, o * p);
            if (ckk <= ShallowConvDepth && !geo.IsPointwise)
            {
                ConvKernels.ShallowProduct(ws.AsSpan(wo, o * ckk), o, ckk, Unfold(xs.AsSpan(xo + img * chw, chw), geo, col), p, bv, yImg);
                if (relu) ActivationKernels.Relu(yImg, yImg);
                return;
            }
            float beta = 0f;
            if (bv is not null)
            {
                for (int q = 0; q < o; q++) yImg.Slice(q * p, p).Fill(bv[q]);
                beta = 1f;
            }
            var xImg = xs.AsSpan(xo + img * chw, chw);
            ReadOnlySpan<float> cols = geo.IsPointwise ? xImg : Unfold(xImg, geo, col);
            Gemm.Multiply(false, false, o, p, ckk, 1f, ws.AsSpan(wo, o * ckk), ckk, cols, p, beta, yImg, p, threads);
            if (relu) ActivationKernels.Relu(yImg, yImg);
        }

        public Tensor?[] Backward(Tensor g)
        {
            var gc = g.Contiguous().Detach();
            bool needX = input.RequiresGrad, needW = weight.RequiresGrad, needB = bias is not null && bias.RequiresGrad;
            int ckk = geo.Ckk;
            // Every image's slice is written by its group: the pointwise GEMM overwrites, col2im adds onto a slice cleared just before.
            var dx = needX ? TensorMemory.Rent(n * Chw) : null;
            var partialW = needW ? TensorMemory.Rent(Groups * o * ckk) : null; // each group's first GEMM overwrites
            var partialB = needB ? TensorMemory.RentZeroed(Groups * o) : null;

            Parallelism.For(Groups, grp => ImageGradients(grp, gc, dx, partialW, partialB));

            var grads = new Tensor?[bias is null ? 2 : 3];
            if (needX) grads[0] = Tensor.Wrap(dx!, input.Shape);
            if (needW) grads[1] = SumWeightPartials(partialW!, gc);
            if (needB) grads[2] = SumBiasPartials(partialB!);
            return grads;
        }

        /// <summary>The images of group <paramref name="grp"/>: its bias and weight partials, and each image's input gradient.</summary>
        private void ImageGradients(int grp, Tensor gc, float[]? dx, float[]? partialW, float[]? partialB)
        {
            int p = P, ckk = geo.Ckk, chw = Chw;
            float[] gs = gc.Storage, xs = x.Storage, ws = wt.Storage;
            int go = gc.Offset, xo = x.Offset, wo = wt.Offset;
            float[]? rented = geo.IsPointwise ? null : ArrayPool<float>.Shared.Rent(ckk * p);
            float[]? masked = relu ? ArrayPool<float>.Shared.Rent(o * p) : null;
            try
            {
                var col = rented.AsSpan();
                var dW = partialW is not null ? partialW.AsSpan(grp * o * ckk, o * ckk) : default;
                int first = (int)((long)n * grp / Groups), end = (int)((long)n * (grp + 1) / Groups);
                for (int img = first; img < end; img++)
                {
                    ReadOnlySpan<float> gImg = gs.AsSpan(go + img * o * p, o * p);
                    if (relu)
                    {
                        // The fused ReLU's backward first: no gradient where the output is ≤ 0.
                        var m = masked.AsSpan(0, o * p);
                        ActivationKernels.ReluBackward(output.AsSpan(img * o * p, o * p), gImg, m);
                        gImg = m;
                    }
                    if (partialB is not null)
                    {
                        var db = partialB.AsSpan(grp * o, o);
                        for (int q = 0; q < o; q++) db[q] += TensorPrimitives.Sum(gImg.Slice(q * p, p));
                    }
                    if (partialW is not null)
                    {
                        // dW += g[img] · colᵀ (first image of the group overwrites)
                        var xImg = xs.AsSpan(xo + img * chw, chw);
                        ReadOnlySpan<float> cols = geo.IsPointwise ? xImg : Unfold(xImg, geo, col);
                        Gemm.Multiply(false, true, o, ckk, p, 1f, gImg, p, cols, p, img == first ? 0f : 1f, dW, ckk, maxThreads: 1);
                    }
                    if (dx is not null) InputGradient(ws.AsSpan(wo, o * ckk), gImg, col, dx.AsSpan(img * chw, chw));
                }
            }
            finally
            {
                if (rented is not null) ArrayPool<float>.Shared.Return(rented);
                if (masked is not null) ArrayPool<float>.Shared.Return(masked);
            }
        }

        /// <summary>One image's input gradient: dcol = Wᵀ · g[img], folded back onto the image (col2im).</summary>
        private void InputGradient(ReadOnlySpan<float> w, ReadOnlySpan<float> gImg, Span<float> col, Span<float> dxImg)
        {
            int p = P, ckk = geo.Ckk;
            if (geo.IsPointwise)
            {
                Gemm.Multiply(true, false, ckk, p, o, 1f, w, ckk, gImg, p, 0f, dxImg, p, maxThreads: 1);
                return;
            }
            var dcol = col[..(ckk * p)];
            Gemm.Multiply(true, false, ckk, p, o, 1f, w, ckk, gImg, p, 0f, dcol, p, maxThreads: 1);
            dxImg.Clear();
            ConvKernels.Col2ImAdd(dcol, geo.C, geo.H, geo.W, geo.Kh, geo.Kw, geo.Stride, geo.Pad, geo.Oh, geo.Ow, dxImg);
        }

        /// <summary>
        /// The weight gradient: the group partials added in group order, into the weight's gradient buffer when the
        /// memory owner has one (no weight-sized temporary; then null is returned), else into a new gradient.
        /// </summary>
        private Tensor? SumWeightPartials(float[] partialW, Tensor gc)
        {
            int size = o * geo.Ckk;
            bool inPlace = Memory.Recycler.LeafGradientBuffer(weight, gc, wt, out var buffer);
            float[]? fresh = inPlace ? null : TensorMemory.RentZeroed(size);
            Span<float> dWsum = inPlace ? buffer.Span : fresh;
            for (int grp = 0; grp < Groups; grp++)
                TensorPrimitives.Add(dWsum, partialW.AsSpan(grp * size, size), dWsum);
            TensorMemory.Return(partialW); // read for the last time just above
            return inPlace ? null : Tensor.Wrap(fresh!, weight.Shape);
        }

        /// <summary>The bias gradient: per-group partial sums added in group order (the same bits for any thread count).</summary>
        private Tensor SumBiasPartials(float[] partialB)
        {
            var db = TensorMemory.RentZeroed(o);
            for (int grp = 0; grp < Groups; grp++) TensorPrimitives.Add(db, partialB.AsSpan(grp * o, o), db);
            TensorMemory.Return(partialB);
            return Tensor.Wrap(db, o);
        }
    }

    private readonly record struct ConvGeometry(int C, int H, int W, int Kh, int Kw, int Stride, int Pad, int Oh, int Ow)
    {
        public int Ckk => C * Kh * Kw;

        /// <summary>A 1×1, stride-1, unpadded convolution: the image itself is the im2col matrix.</summary>
        public bool IsPointwise => Kh == 1 && Kw == 1 && Stride == 1 && Pad == 0;
    }

    private static ReadOnlySpan<float> Unfold(ReadOnlySpan<float> image, ConvGeometry g, Span<float> col)
    {
        var dst = col[..(g.Ckk * g.Oh * g.Ow)];
        ConvKernels.Im2Col(image, g.C, g.H, g.W, g.Kh, g.Kw, g.Stride, g.Pad, g.Oh, g.Ow, dst);
        return dst;
    }

    /// <summary>
    /// Calls body(image, colBuffer, gemmThreads) for every image: images in parallel (each GEMM on one
    /// thread) when there are several, otherwise one image with a multi-threaded GEMM.
    /// </summary>
    private static void ForEachImage(int n, ConvGeometry g, ConvImageBody body)
    {
        int colSize = g.IsPointwise ? 0 : g.Ckk * g.Oh * g.Ow;
        if (n == 1)
        {
            var rented = ArrayPool<float>.Shared.Rent(Math.Max(colSize, 1));
            try { body(0, rented, 0); }
            finally { ArrayPool<float>.Shared.Return(rented); }
            return;
        }
        int parts = Math.Min(n, Parallelism.MaxThreads * 2);
        Parallelism.For(parts, part =>
        {
            var rented = ArrayPool<float>.Shared.Rent(Math.Max(colSize, 1));
            try
            {
                for (int img = (int)((long)n * part / parts); img < (int)((long)n * (part + 1) / parts); img++) body(img, rented, 1);
            }
            finally { ArrayPool<float>.Shared.Return(rented); }
        });
    }

    private delegate void ConvImageBody(int image, Span<float> col, int gemmThreads);
}
