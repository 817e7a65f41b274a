namespace NeuroCore.Onnx;

/// <summary>
/// Thrown when an ONNX file cannot be read into a NeuroCore model: it is not a valid ONNX model, uses an
/// operator or attribute NeuroCore does not support (named in the message), or is not a chain of layers.
/// </summary>
public sealed class OnnxFormatException : Exception
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public OnnxFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public OnnxFormatException(string message, Exception inner) : base(message, inner) { }
}
