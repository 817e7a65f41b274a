using NeuroCore.NN;

namespace NeuroCore.Visualization.Explain;

/// <summary>
/// Saliency (Simonyan et al. 2014): the gradient of a class score (the logit, before softmax) with respect
/// to the input pixels, computed with NeuroCore's autograd (the parameters are frozen meanwhile, so their gradients are untouched); the map is its largest magnitude over channels.
/// Call <c>model.Eval()</c> first: in training mode Dropout and BatchNorm would change the maps.
/// </summary>
public static class Saliency
{
    /// <summary>The H × W saliency of <paramref name="classIndex"/> for one image [C, H, W].</summary>
    public static AttributionMap Compute(Sequential model, Tensor image, int classIndex)
    {
        var x = LayerRange.AsBatch(image).Detach().Clone();
        x.RequiresGrad = true;
        using (LayerRange.FreezeParameters(model))
        {
            var score = LayerRange.ClassScore(LayerRange.Logits(model, x), classIndex);
            score.Backward();
        }
        var grad = x.Grad!.ToArray();
        int c = x.Size(1), h = x.Size(2), w = x.Size(3);
        var map = new float[h * w];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < h * w; i++) map[i] = Math.Max(map[i], Math.Abs(grad[ch * h * w + i]));
        return new AttributionMap(h, w, map);
    }
}
