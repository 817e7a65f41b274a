using NeuroCore.Autograd;
using NeuroCore.Kernels;
using NeuroCore.Layout;
using NeuroCore.Memory;

namespace NeuroCore;

public sealed partial class Tensor
{
    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires grad, adding it
    /// into their <see cref="Grad"/>. Without <paramref name="gradient"/> this tensor must be a scalar
    /// (the gradient is 1); otherwise pass d(loss)/d(this) with this tensor's shape.
    /// </summary>
    /// <param name="gradient">The upstream gradient, or null for a scalar.</param>
    /// <param name="retainGraph">Keep the graph so that backward can run through it again.</param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException(
                "Backward: this tensor does not require grad and has no grad_fn. Set RequiresGrad = true on the inputs " +
                "or parameters before computing it (and do not compute it inside GradMode.NoGrad()).");
        if (gradient is null)
        {
            if (_numel != 1)
                throw new InvalidOperationException(
                    $"Backward() without a gradient works only on a scalar, but this tensor has shape {ShapeUtil.Format(_shape)}. " +
                    "Pass the upstream gradient: Backward(gradient).");
            gradient = Ones(_shape);
        }
        else if (!ShapeUtil.SameShape(gradient._shape, _shape))
        {
            throw new ArgumentException(
                $"Backward: the gradient has shape {ShapeUtil.Format(gradient._shape)} but the tensor has shape {ShapeUtil.Format(_shape)}.");
        }
        Engine.Run(this, gradient.Detach(), retainGraph);
    }

    /// <summary>
    /// Resets <paramref name="parameter"/>'s gradient: to null, or (when <paramref name="setToNone"/> is false)
    /// by zeroing the existing gradient in place so the engine accumulates into the same buffer next time.
    /// </summary>
    internal static void ZeroGrad(Tensor parameter, bool setToNone)
    {
        var g = parameter.GradInternal;
        if (g is null) return;
        if (setToNone)
        {
            Recycler.GradientDropped(parameter);
            return;
        }
        // The engine adds into a contiguous float gradient in place; anything else set by hand is replaced
        // by zeros of the parameter's shape (this allocates once, later steps reuse it).
        if (g.DType == DType.Float32 && g.IsContiguous && ShapeUtil.SameShape(g._shape, parameter._shape) && g.GradFn is null)
            g.Span.Clear();
        else
            Recycler.SetEngineGradient(parameter, Recycler.NewLeafGradient(parameter));
    }

    /// <summary>
    /// Adds <paramref name="other"/> (broadcast to this shape) into this tensor's storage, unrecorded and
    /// unchecked: the engine's gradient accumulation (the public, checked form is <see cref="AddInPlace(Tensor)"/>).
    /// </summary>
    internal void AccumulateInPlace(Tensor other)
    {
        var bs = ShapeUtil.BroadcastStrides(other._shape, other._strides, _shape);
        ElementwiseKernels.BinaryInPlace<AddOp>(Storage, _strides, _offset, other.Storage, bs, other._offset, _shape);
    }
}
