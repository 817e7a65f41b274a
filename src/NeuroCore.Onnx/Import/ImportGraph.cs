using Onnx;

namespace NeuroCore.Onnx.Import;

/// <summary>
/// The parsed graph as the importer walks it: constants (initializers and Constant nodes) by name, the other
/// nodes, and for every value the nodes that read it.
/// </summary>
internal sealed class ImportGraph
{
    private readonly Dictionary<string, TensorProto> _constantProtos = [];
    private readonly Dictionary<string, Tensor> _constants = [];
    private readonly Dictionary<string, List<NodeProto>> _consumers = [];

    public ImportGraph(GraphProto graph)
    {
        foreach (var init in graph.Initializer)
        {
            if (string.IsNullOrEmpty(init.Name)) throw new OnnxFormatException("ONNX: an initializer has no name.");
            _constantProtos[init.Name] = init;
        }
        foreach (var node in graph.Node)
        {
            if (node.OpType == "Constant" && (node.Domain is "" or "ai.onnx"))
            {
                if (node.Output.Count != 1) throw new OnnxFormatException($"ONNX: Constant node '{node.Name}' must have one output.");
                _constantProtos[node.Output[0]] = ConstantValue(node);
                continue;
            }
            if (node.OpType == "Transpose" && node.Input.Count == 1 && node.Output.Count == 1 && IsConstant(node.Input[0]))
            {
                // A transposed weight (NeuroCore writes Linear on rank > 2 as MatMul(x, Transpose(W))): fold it.
                var perm = node.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints.ToArray();
                var t = Constant(node.Input[0], node);
                if (t.Rank == 2 && (perm is null || perm.SequenceEqual([1L, 0L])))
                {
                    _constants[node.Output[0]] = t.Transpose(0, 1).Contiguous();
                    _constantProtos[node.Output[0]] = new TensorProto { Name = node.Output[0] };
                    continue;
                }
            }
            Nodes.Add(node);
        }
        foreach (var node in Nodes)
            foreach (var input in node.Input)
            {
                if (input.Length == 0 || IsConstant(input)) continue;
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = [];
                // Nodes arrive in order, so a node reading a value twice (Mul(x, x)) is the list's last entry:
                // O(1) per input even when a hostile graph has one value read by every node.
                if (list.Count == 0 || !ReferenceEquals(list[^1], node)) list.Add(node);
            }
    }

    /// <summary>The non-Constant nodes in file order.</summary>
    public List<NodeProto> Nodes { get; } = [];

    private Dictionary<NodeProto, int>? _positions;

    /// <summary>The position of <paramref name="node"/> in <see cref="Nodes"/>.</summary>
    public int PositionOf(NodeProto node)
    {
        if (_positions is null)
        {
            // By reference: protobuf messages compare (and hash) by value, over every attribute.
            _positions = new Dictionary<NodeProto, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < Nodes.Count; i++) _positions[Nodes[i]] = i;
        }
        return _positions[node];
    }

    public bool IsConstant(string name) => _constantProtos.ContainsKey(name);

    /// <summary>The constant <paramref name="name"/> as a tensor (converted once), or an error naming the node.</summary>
    public Tensor Constant(string name, NodeProto node)
    {
        if (_constants.TryGetValue(name, out var t)) return t;
        if (!_constantProtos.TryGetValue(name, out var proto))
            throw new OnnxFormatException($"ONNX import: node '{NodeLabel(node)}' needs '{name}' to be a constant (initializer), but it is computed in the graph.");
        return _constants[name] = TensorProtoConversion.FromProto(proto, "tensor");
    }

    /// <summary>The nodes reading <paramref name="value"/>.</summary>
    public IReadOnlyList<NodeProto> ConsumersOf(string value) => _consumers.TryGetValue(value, out var list) ? list : [];

    public static string NodeLabel(NodeProto node) => string.IsNullOrEmpty(node.Name) ? $"{node.OpType} -> {string.Join(", ", node.Output)}" : node.Name;

    private static TensorProto ConstantValue(NodeProto node)
    {
        if (node.Attribute.Count != 1) throw new OnnxFormatException($"ONNX: Constant node '{NodeLabel(node)}' must have exactly one attribute.");
        var a = node.Attribute[0];
        var proto = new TensorProto { Name = node.Output[0] };
        switch (a.Name)
        {
            case "value":
                if (a.T is null) throw new OnnxFormatException($"ONNX: Constant node '{NodeLabel(node)}' has no tensor value.");
                var copy = a.T.Clone();
                copy.Name = node.Output[0];
                return copy;
            case "value_float":
                proto.DataType = TensorProtoConversion.Float;
                proto.FloatData.Add(a.F);
                return proto;
            case "value_floats":
                proto.DataType = TensorProtoConversion.Float;
                proto.Dims.Add(a.Floats.Count);
                proto.FloatData.AddRange(a.Floats);
                return proto;
            case "value_int":
                proto.DataType = TensorProtoConversion.Int64;
                proto.Int64Data.Add(a.I);
                return proto;
            case "value_ints":
                proto.DataType = TensorProtoConversion.Int64;
                proto.Dims.Add(a.Ints.Count);
                proto.Int64Data.AddRange(a.Ints);
                return proto;
            default:
                throw new OnnxFormatException($"ONNX import: Constant node '{NodeLabel(node)}' uses attribute '{a.Name}', which NeuroCore does not read.");
        }
    }
}
