namespace NeuroCore.NN;

public static partial class Functional
{
    /// <summary>2-D convolution of an NCHW input with OIHW weights, like <c>F.conv2d</c>.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0) =>
        throw new NotImplementedException("Conv2d");

    /// <summary>2-D max pooling over NCHW input (stride defaults to the kernel size), like <c>F.max_pool2d</c>.</summary>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null) =>
        throw new NotImplementedException("MaxPool2d");

    /// <summary>2-D average pooling over NCHW input (stride defaults to the kernel size), like <c>F.avg_pool2d</c>.</summary>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null) =>
        throw new NotImplementedException("AvgPool2d");
}
