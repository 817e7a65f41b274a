using Google.Protobuf;
using Onnx;

namespace NeuroCore.Onnx.Export;

/// <summary>Appends nodes and initializers to an ONNX graph under unique value names.</summary>
internal sealed class OnnxGraphBuilder(GraphProto graph)
{
    private readonly HashSet<string> _names = [];
    private int _counter;

    public GraphProto Graph { get; } = graph;

    /// <summary>Reserves <paramref name="name"/> as a value name; an error when it is already taken.</summary>
    public string Reserve(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"ONNX export: the value name '{name}' is used twice.");
        return name;
    }

    /// <summary>A fresh value name derived from <paramref name="hint"/> (e.g. <c>/3/Relu_output_0</c>).</summary>
    public string Fresh(string hint) => Reserve(Unused(hint));

    private string Unused(string hint)
    {
        string name;
        do name = $"{hint}_{_counter++}"; while (_names.Contains(name));
        return name;
    }

    /// <summary>Adds a node with one output, named after the layer and operator; returns the output name.</summary>
    public string Node(string opType, string layerName, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = Fresh($"/{layerName}/{opType}_output");
        var node = new NodeProto { OpType = opType, Name = $"/{layerName}/{opType}_{_counter}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds <paramref name="tensor"/> (float32 or int64) as an initializer named <paramref name="name"/>.</summary>
    public string Initializer(string name, Tensor tensor)
    {
        Reserve(name);
        Graph.Initializer.Add(TensorProtoConversion.ToProto(name, tensor));
        return name;
    }

    /// <summary>Adds a float32 scalar constant (an initializer without a state-dict name).</summary>
    public string Scalar(string hint, float value) => Initializer(Unused(hint), Tensor.Scalar(value));

    /// <summary>Adds a constant initializer without a state-dict name (e.g. the ones of a LayerNorm without affine parameters).</summary>
    public string Constant(string hint, Tensor value) => Initializer(Unused(hint), value);

    /// <summary>Adds a 1-D int64 constant (e.g. a Reshape target).</summary>
    public string Int64s(string hint, long[] values) => Initializer(Unused(hint), Tensor.FromArray(values, values.Length));

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}
