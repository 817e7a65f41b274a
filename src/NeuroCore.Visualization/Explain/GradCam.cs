using NeuroCore.Autograd;
using NeuroCore.NN;

namespace NeuroCore.Visualization.Explain;

/// <summary>The result of <see cref="GradCam.Compute"/>.</summary>
/// <param name="LayerIndex">The layer whose output maps were weighted (by default the last Conv2d through its activation and pooling).</param>
/// <param name="FeatureMap">ReLU(Σ_c α_c·A_c) at the layer's resolution.</param>
/// <param name="Upsampled">The same, bilinearly resampled to the input's H × W.</param>
/// <param name="ChannelWeights">α_c: the class score's gradient averaged over each channel's positions.</param>
/// <param name="Score">The class score (logit) for the image.</param>
public sealed record GradCamResult(int LayerIndex, AttributionMap FeatureMap, AttributionMap Upsampled, float[] ChannelWeights, float Score);

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017) on a convolutional layer: the model is split there, the layer's output A
/// becomes a leaf that requires grad, the rest of the model runs on it, and the class score's gradient gives
/// channel weights α_c = mean(∂score/∂A_c); the map is ReLU(Σ_c α_c·A_c).
/// Call <c>model.Eval()</c> first: in training mode Dropout and BatchNorm would change the maps.
/// </summary>
public static class GradCam
{
    /// <summary>
    /// Grad-CAM of <paramref name="classIndex"/> for one image [C, H, W] at layer <paramref name="layerIndex"/>
    /// (default: <see cref="DefaultLayer"/>).
    /// </summary>
    public static GradCamResult Compute(Sequential model, Tensor image, int classIndex, int? layerIndex = null)
    {
        int layer = layerIndex ?? DefaultLayer(model);
        if (layer < 0 || layer >= LayerRange.LogitsEnd(model) - 1)
            throw new ArgumentOutOfRangeException(nameof(layerIndex), $"Grad-CAM: layer {layer} must be inside the model (0..{model.Count - 2}) with layers after it.");
        var x = LayerRange.AsBatch(image);
        Tensor maps;
        using (GradMode.NoGrad()) maps = LayerRange.Run(model, x, 0, layer + 1);
        if (maps.Rank != 4) throw new ArgumentException($"Grad-CAM: layer {layer} ({model[layer].TypeName}) gives shape [{string.Join(", ", maps.Shape)}], not feature maps [1, C, h, w].");
        var a = maps.Detach().Clone();
        a.RequiresGrad = true;
        float score;
        using (LayerRange.FreezeParameters(model))
        {
            var s = LayerRange.ClassScore(LayerRange.Run(model, a, layer + 1, LayerRange.LogitsEnd(model)), classIndex);
            score = s.Item();
            s.Backward();
        }
        int c = a.Size(1), h = a.Size(2), w = a.Size(3), hw = h * w;
        var grad = a.Grad!.ToArray();
        var act = a.ToArray();
        var alpha = new float[c];
        var cam = new float[hw];
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int i = 0; i < hw; i++) sum += grad[ch * hw + i];
            alpha[ch] = (float)(sum / hw);
            for (int i = 0; i < hw; i++) cam[i] += alpha[ch] * act[ch * hw + i];
        }
        for (int i = 0; i < hw; i++) cam[i] = Math.Max(0f, cam[i]);
        var map = new AttributionMap(h, w, cam);
        return new GradCamResult(layer, map, map.Resize(x.Size(2), x.Size(3)), alpha, score);
    }

    /// <summary>
    /// The last spatial maps: the last Conv2d, moved past a directly following activation and pooling layer
    /// (after max pooling every position carries the head's gradient, not only the pooled maxima, so the
    /// mean-gradient weights are not diluted by zeros); an error when the model has no Conv2d.
    /// </summary>
    public static int DefaultLayer(Sequential model)
    {
        int conv = LayerRange.LastIndexOf<Conv2d>(model);
        if (conv < 0) throw new ArgumentException("Grad-CAM: the model has no Conv2d layer.");
        int layer = LayerRange.ThroughActivation(model, conv);
        return layer + 1 < LayerRange.LogitsEnd(model) - 1 && model[layer + 1] is MaxPool2d or AvgPool2d ? layer + 1 : layer;
    }
}
