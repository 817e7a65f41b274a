using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;

namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>y = input · weightᵀ + bias, with weight of shape [out, in], like <c>F.linear</c>.</summary>
    /// <remarks>
    /// <paramref name="input"/> has shape [..., in] and the result [..., out]. The leading dimensions are
    /// flattened into the rows of one GEMM that reads the weight transposed in place (no transpose
    /// copy); the bias is written into the output first and the product accumulated onto it.
    /// </remarks>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Linear(input, weight, bias, relu: false);

    /// <summary>
    /// <see cref="Linear(Tensor, Tensor, Tensor?)"/>, followed by ReLU when <paramref name="relu"/> is set: the
    /// same values and gradients as the two ops (the same kernels), without the ReLU's separate tensor, pass and
    /// graph node. <see cref="Sequential"/> uses it for a Linear followed by ReLU that nothing else observes.
    /// </summary>
    internal static Tensor Linear(Tensor input, Tensor weight, Tensor? bias, bool relu)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        input.RequireFloat("linear");
        weight.RequireFloat("linear");
        if (weight.Rank != 2)
            throw new ArgumentException($"linear: weight must have shape [out, in], got {ShapeUtil.Format(weight.ShapeRef)}.");
        int outF = weight.ShapeRef[0], inF = weight.ShapeRef[1];
        if (input.Rank == 0 || input.ShapeRef[^1] != inF)
            throw new ArgumentException(
                $"linear: input of shape {ShapeUtil.Format(input.ShapeRef)} does not end in in_features = {inF} of weight {ShapeUtil.Format(weight.ShapeRef)}.");
        if (bias is not null)
        {
            bias.RequireFloat("linear");
            if (bias.Rank != 1 || bias.ShapeRef[0] != outF)
                throw new ArgumentException($"linear: bias must have shape [{outF}] to match weight {ShapeUtil.Format(weight.ShapeRef)}, got {ShapeUtil.Format(bias.ShapeRef)}.");
        }

        var x = input.Contiguous().Detach();
        int rows = ShapeUtil.Numel(input.ShapeRef.AsSpan(0, input.Rank - 1));
        var outShape = (int[])input.ShapeRef.Clone();
        outShape[^1] = outF;
        var data = TensorMemory.Rent(rows * outF); // fully written: bias rows or the GEMM with beta = 0
        float beta = 0f;
        if (bias is not null && outF > 0)
        {
            var bv = bias.Contiguous().Span;
            for (int r = 0; r < rows; r++) bv.CopyTo(data.AsSpan(r * outF, outF));
            beta = 1f;
        }
        // op(B) = weightᵀ: a row-major weight is read with the transpose flag; a weight that is itself a
        // transposed view (e.g. tied embeddings) is read directly.
        var (w, wTrans, ldw) = WeightOperand(weight);
        Gemm.Multiply(false, !wTrans, rows, outF, inF, 1f, x.Storage.AsSpan(x.Offset), Math.Max(inF, 1),
            w.Storage.AsSpan(w.Offset), ldw, beta, data, Math.Max(outF, 1));
        if (relu) ActivationKernels.Relu(data, data);
        var y = Tensor.Wrap(data, outShape);

        if (!GradMode.ShouldRecord(input, weight, bias)) return y;
        var inShape = input.ShapeRef;
        Tensor[] inputs = bias is null ? [input, weight] : [input, weight, bias];
        return GradMode.Record(y, relu ? "linear_relu" : "linear", inputs, g =>
        {
            float[]? masked = null;
            if (relu)
            {
                // The ReLU's backward first: no gradient where the output is ≤ 0.
                masked = TensorMemory.Rent(rows * outF);
                ActivationKernels.ReluBackward(data, g.Contiguous().Span, masked);
                g = Tensor.Wrap(masked, outShape);
            }
            var g2 = g.Reshape(rows, outF);
            var grads = new Tensor?[inputs.Length];
            // dx = g·W, dW = gᵀ·x (transposed read, no copy), db = Σ_rows g
            if (input.RequiresGrad) grads[0] = g2.MatMul(weight).Reshape(inShape);
            if (weight.RequiresGrad)
            {
                var gc = g2.Contiguous();
                if (Memory.Recycler.LeafGradientBuffer(weight, gc, x, out var wGrad))
                {
                    // A leaf weight: dW += gᵀ·x straight into its gradient buffer (kept by ZeroGrad(setToNone: false),
                    // or new), with no [out, in] temporary and no copy by the engine.
                    Gemm.Multiply(true, false, outF, inF, rows, 1f, gc.Storage.AsSpan(gc.Offset), Math.Max(outF, 1),
                        x.Storage.AsSpan(x.Offset), Math.Max(inF, 1), 1f, wGrad.Storage.AsSpan(wGrad.Offset), Math.Max(inF, 1));
                }
                else
                {
                    grads[1] = gc.Transpose(0, 1).MatMul(x.Reshape(rows, inF));
                }
            }
            if (bias is not null && bias.RequiresGrad) grads[2] = g2.Sum(0);
            if (masked is not null) TensorMemory.Return(masked); // read for the last time above; the gradients are new tensors
            return grads;
        });
    }

    /// <summary>The weight as a GEMM operand: (storage view, stored transposed?, leading dimension).</summary>
    private static (Tensor w, bool transposed, int ld) WeightOperand(Tensor weight)
    {
        int rows = weight.ShapeRef[0], cols = weight.ShapeRef[1];
        int rs = weight.StridesRef[0], cs = weight.StridesRef[1];
        if ((cs == 1 || cols <= 1) && (rs >= cols || rows <= 1)) return (weight, false, Math.Max(rows <= 1 ? cols : rs, 1));
        if ((rs == 1 || rows <= 1) && cs >= Math.Max(rows, 1)) return (weight, true, cs);
        var c = weight.Contiguous().Detach();
        return (c, false, Math.Max(cols, 1));
    }
}
