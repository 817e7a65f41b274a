using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace NeuroCore.Onnx.Tests.Infrastructure;

/// <summary>Runs an ONNX model in ONNX Runtime (the reference) on one input tensor.</summary>
public static class OnnxRuntimeRunner
{
    public static (float[] Values, int[] Shape) Run(byte[] model, Tensor input, string inputName = "input")
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        NamedOnnxValue value = input.DType == DType.Int64
            ? NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<long>(input.ToLongArray(), input.Shape))
            : NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(input.ToArray(), input.Shape));
        using var results = session.Run([value]);
        var output = results.First().AsTensor<float>();
        return (output.ToArray(), output.Dimensions.ToArray());
    }
}
