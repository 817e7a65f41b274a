using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace NeuroCore.Onnx;

/// <summary>Converts between NeuroCore tensors and ONNX <c>TensorProto</c>s (float32 and int64, little-endian raw data).</summary>
internal static class TensorProtoConversion
{
    public const int Float = (int)TensorProto.Types.DataType.Float;
    public const int Int64 = (int)TensorProto.Types.DataType.Int64;
    public const int Int32 = (int)TensorProto.Types.DataType.Int32;
    public const int Double = (int)TensorProto.Types.DataType.Double;

    /// <summary>The largest tensor the importer materializes (elements), well above any layer NeuroCore holds.</summary>
    public const long MaxElements = int.MaxValue / 2;

    public static TensorProto ToProto(string name, Tensor tensor)
    {
        var proto = new TensorProto { Name = name };
        proto.Dims.AddRange(tensor.Shape.Select(d => (long)d));
        if (tensor.DType == DType.Float32)
        {
            proto.DataType = Float;
            var values = tensor.ToArray();
            var bytes = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
            proto.RawData = ByteString.CopyFrom(bytes);
        }
        else
        {
            proto.DataType = Int64;
            var values = tensor.ToLongArray();
            var bytes = new byte[values.Length * 8];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
            proto.RawData = ByteString.CopyFrom(bytes);
        }
        return proto;
    }

    /// <summary>
    /// Reads a float, double, int32 or int64 tensor (raw or typed data) into a NeuroCore tensor: floating
    /// types become float32, integer types int64. Sizes are checked against the dims before anything is allocated.
    /// </summary>
    public static Tensor FromProto(TensorProto proto, string what)
    {
        if (proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
            throw new OnnxFormatException($"ONNX: {what} '{proto.Name}' keeps its data in an external file, which NeuroCore does not read; save the model with its weights inside the .onnx file.");
        if (proto.Segment is not null) throw new OnnxFormatException($"ONNX: {what} '{proto.Name}' is segmented, which NeuroCore does not read.");
        var shape = new int[proto.Dims.Count];
        long numel = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = proto.Dims[i];
            if (d < 0 || d > int.MaxValue) throw new OnnxFormatException($"ONNX: {what} '{proto.Name}' has an invalid dimension {d}.");
            shape[i] = (int)d;
            numel *= d;
            if (numel > MaxElements) throw new OnnxFormatException($"ONNX: {what} '{proto.Name}' has more than {MaxElements} elements.");
        }
        int n = (int)numel;
        bool raw = proto.HasRawData;
        int elementSize = proto.DataType switch
        {
            Float or Int32 => 4,
            Double or Int64 => 8,
            _ => throw new OnnxFormatException($"ONNX: {what} '{proto.Name}' has data type {DataTypeName(proto.DataType)}; NeuroCore reads float, double, int32 and int64 tensors."),
        };
        if (raw && proto.RawData.Length != (long)n * elementSize)
            throw new OnnxFormatException($"ONNX: {what} '{proto.Name}' has {proto.RawData.Length} bytes of raw data but its shape {Format(shape)} of {DataTypeName(proto.DataType)} needs {(long)n * elementSize}.");
        var span = raw ? proto.RawData.Span : default;
        switch (proto.DataType)
        {
            case Float:
            {
                if (!raw) CheckCount(proto.FloatData.Count, n, proto, what, shape);
                var data = new float[n];
                for (int i = 0; i < n; i++) data[i] = raw ? BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]) : proto.FloatData[i];
                return Tensor.FromArray(data, shape);
            }
            case Double:
            {
                if (!raw) CheckCount(proto.DoubleData.Count, n, proto, what, shape);
                var data = new float[n];
                for (int i = 0; i < n; i++) data[i] = (float)(raw ? BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]) : proto.DoubleData[i]);
                return Tensor.FromArray(data, shape);
            }
            case Int32:
            {
                if (!raw) CheckCount(proto.Int32Data.Count, n, proto, what, shape);
                var data = new long[n];
                for (int i = 0; i < n; i++) data[i] = raw ? BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]) : proto.Int32Data[i];
                return Tensor.FromArray(data, shape);
            }
            default:
            {
                if (!raw) CheckCount(proto.Int64Data.Count, n, proto, what, shape);
                var data = new long[n];
                if (raw) MemoryMarshal.Cast<byte, long>(span).CopyTo(data);
                if (raw && !BitConverter.IsLittleEndian)
                    for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReverseEndianness(data[i]);
                if (!raw) for (int i = 0; i < n; i++) data[i] = proto.Int64Data[i];
                return Tensor.FromArray(data, shape);
            }
        }
    }

    private static void CheckCount(int count, int expected, TensorProto proto, string what, int[] shape)
    {
        if (count != expected)
            throw new OnnxFormatException($"ONNX: {what} '{proto.Name}' has {count} values but its shape {Format(shape)} needs {expected}.");
    }

    public static string Format(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";

    public static string DataTypeName(int type) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), type) ? ((TensorProto.Types.DataType)type).ToString().ToLowerInvariant() : $"#{type}";
}
