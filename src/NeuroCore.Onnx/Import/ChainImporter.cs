using NeuroCore.NN;
using Onnx;
using A = NeuroCore.Onnx.Import.NodeAttributes;

namespace NeuroCore.Onnx.Import;

/// <summary>
/// Walks an ONNX graph from its single input to its single output, one chain node (or one known node
/// pattern such as exact GELU) at a time, and turns each into a NeuroCore layer with its weights.
/// </summary>
internal sealed class ChainImporter
{
    private readonly ImportGraph _g;
    // By reference: protobuf messages compare and hash by value (two identical nodes are still two nodes).
    private readonly HashSet<NodeProto> _used = new(ReferenceEqualityComparer.Instance);
    private readonly List<Module> _layers = [];
    private readonly string _output;
    private int? _rank;

    private ChainImporter(ImportGraph graph, int? inputRank, string output)
    {
        _g = graph;
        _rank = inputRank;
        _output = output;
    }

    public static Sequential Import(GraphProto graph)
    {
        var g = new ImportGraph(graph);
        var inputs = graph.Input.Where(i => !g.IsConstant(i.Name)).ToList();
        if (inputs.Count != 1)
            throw new OnnxFormatException($"ONNX import: the graph must have exactly one input that is not an initializer, found {inputs.Count} ({string.Join(", ", inputs.Select(i => i.Name))}).");
        if (graph.Output.Count != 1)
            throw new OnnxFormatException($"ONNX import: the graph must have exactly one output, found {graph.Output.Count}.");
        var input = inputs[0];
        int? rank = input.Type?.TensorType?.Shape is { } shape ? shape.Dim.Count : null;
        var importer = new ChainImporter(g, rank, graph.Output[0].Name);
        importer.Walk(input.Name, graph.Output[0].Name);
        var model = new Sequential([.. importer._layers]);
        model.Eval();
        return model;
    }

    private void Walk(string input, string output)
    {
        string current = input;
        int guard = _g.Nodes.Count + 1;
        while (current != output)
        {
            if (guard-- <= 0) throw new OnnxFormatException("ONNX import: the graph has a cycle.");
            var consumers = _g.ConsumersOf(current);
            if (consumers.Count == 0)
                throw new OnnxFormatException($"ONNX import: value '{current}' is not read by any node and is not the graph output '{output}'.");
            current = consumers.Count == 1 ? Step(consumers[0], current) : Pattern(consumers, current);
        }
        var unused = _g.Nodes.Where(n => !_used.Contains(n)).ToList();
        if (unused.Count > 0)
            throw new OnnxFormatException($"ONNX import: node '{ImportGraph.NodeLabel(unused[0])}' ({unused[0].OpType}) is not on the chain from input to output; NeuroCore imports chains of layers (a Sequential), not branching graphs.");
    }

    /// <summary>Several nodes read <paramref name="x"/>: only the exact-GELU subgraph does that in a chain.</summary>
    private string Pattern(IReadOnlyList<NodeProto> consumers, string x)
    {
        if (TryGelu(x, out var y)) return y;
        var list = string.Join(", ", consumers.Take(4).Select(c => $"'{ImportGraph.NodeLabel(c)}' ({c.OpType})")) + (consumers.Count > 4 ? $" and {consumers.Count - 4} more" : "");
        throw new OnnxFormatException($"ONNX import: value '{x}' is read by several nodes ({list}); NeuroCore imports chains of layers, and only an element-wise GELU subgraph (Div/Erf/Add/Mul/Mul or its tanh form) may branch.");
    }

    private string Step(NodeProto node, string x)
    {
        if (node.Domain is not ("" or "ai.onnx"))
            throw new OnnxFormatException($"ONNX import: node '{ImportGraph.NodeLabel(node)}' uses operator '{node.OpType}' of domain '{node.Domain}', which NeuroCore does not support.");
        if (node.Input.Count == 0 || node.Input[0] != x && node.OpType != "Gather")
            throw new OnnxFormatException($"ONNX import: node '{ImportGraph.NodeLabel(node)}' ({node.OpType}) reads '{x}' in an unexpected position.");
        foreach (var other in node.Input.Skip(node.OpType == "Gather" ? 0 : 1))
            if (other.Length > 0 && other != x && !_g.IsConstant(other))
                throw new OnnxFormatException($"ONNX import: node '{ImportGraph.NodeLabel(node)}' ({node.OpType}) reads the computed value '{other}' besides '{x}'; NeuroCore imports chains of layers.");
        _used.Add(node);
        switch (node.OpType)
        {
            case "Gemm": Add(Gemm(node)); _rank = 2; break;
            case "MatMul": return MatMul(node);
            case "Conv": Add(Conv(node)); break;
            case "MaxPool": Add(Pool(node, max: true)); break;
            case "AveragePool": Add(Pool(node, max: false)); break;
            case "Flatten": Add(FlattenFrom(node)); _rank = 2; break;
            case "Reshape": Add(Reshape(node)); break;
            case "Relu": A.OnlyKnown(node); Add(new ReLU()); break;
            case "Tanh": A.OnlyKnown(node); Add(new Tanh()); break;
            case "Sigmoid": A.OnlyKnown(node); Add(new Sigmoid()); break;
            case "LeakyRelu": A.OnlyKnown(node, "alpha"); Add(new LeakyReLU(A.Float(node, "alpha", 0.01f))); break;
            case "Softmax": A.OnlyKnown(node, "axis"); Add(new Softmax((int)A.Int(node, "axis", -1))); break;
            case "LogSoftmax": A.OnlyKnown(node, "axis"); Add(new LogSoftmax((int)A.Int(node, "axis", -1))); break;
            case "LayerNormalization": Add(LayerNormFrom(node)); break;
            case "BatchNormalization": Add(BatchNormFrom(node)); break;
            case "Dropout": Add(DropoutFrom(node)); break;
            case "Identity": A.OnlyKnown(node); break;
            case "Pad": ZeroPad(node); break;
            case "Gather": Add(Gather(node, x)); _rank = _rank + 1; break;
            case "Add" or "Div" or "Erf" or "Mul":
                throw Unsupported(node, $"{node.OpType} on its own (NeuroCore reads it only as a MatMul's bias or inside the exact-GELU subgraph Div/Erf/Add/Mul/Mul)");
            default:
                throw new OnnxFormatException(
                    $"ONNX import: operator '{node.OpType}' (node '{ImportGraph.NodeLabel(node)}') is not supported; NeuroCore imports {string.Join(", ", OnnxFormat.SupportedOperators)}.");
        }
        return SingleOutput(node);
    }

    private void Add(Module layer) => _layers.Add(layer);

    /// <summary>The node's first output; further outputs (MaxPool's indices, Dropout's mask) must be unused.</summary>
    private string SingleOutput(NodeProto node)
    {
        for (int i = 1; i < node.Output.Count; i++)
            if (node.Output[i].Length > 0 && _g.ConsumersOf(node.Output[i]).Count > 0)
                throw new OnnxFormatException($"ONNX import: output {i} ('{node.Output[i]}') of node '{ImportGraph.NodeLabel(node)}' ({node.OpType}) is used; NeuroCore only supports its first output.");
        return node.Output[0];
    }

    private Linear Gemm(NodeProto node)
    {
        A.OnlyKnown(node, "alpha", "beta", "transA", "transB");
        if (A.Float(node, "alpha", 1f) != 1f || A.Float(node, "beta", 1f) != 1f || A.Int(node, "transA", 0) != 0)
            throw new OnnxFormatException($"ONNX import: Gemm node '{ImportGraph.NodeLabel(node)}' must have alpha = 1, beta = 1 and transA = 0 to be a Linear layer.");
        var w = _g.Constant(node.Input[1], node);
        if (w.Rank != 2) throw Shape(node, "B", w, "[in, out] or [out, in]");
        if (A.Int(node, "transB", 0) == 0) w = w.Transpose(0, 1).Contiguous();
        Tensor? b = node.Input.Count > 2 && node.Input[2].Length > 0 ? _g.Constant(node.Input[2], node) : null;
        return LinearWith(node, w, b);
    }

    private string MatMul(NodeProto node)
    {
        A.OnlyKnown(node);
        var w = _g.Constant(node.Input[1], node);
        if (w.Rank != 2) throw Shape(node, "B", w, "[in, out]");
        var weight = w.Transpose(0, 1).Contiguous();
        var y = node.Output[0];
        Tensor? bias = null;
        // MatMul then Add(bias) is how PyTorch exports a Linear on input of rank other than 2.
        var next = _g.ConsumersOf(y);
        if (next.Count == 1 && next[0].OpType == "Add" && next[0].Input.Count == 2)
        {
            var add = next[0];
            var other = add.Input[0] == y ? add.Input[1] : add.Input[0];
            if (_g.IsConstant(other))
            {
                var b = _g.Constant(other, add);
                if (b.Numel == weight.Size(0))
                {
                    bias = b.Reshape(b.Numel);
                    _used.Add(add);
                    y = add.Output[0];
                }
            }
        }
        Add(LinearWith(node, weight, bias));
        return y;
    }

    private static Linear LinearWith(NodeProto node, Tensor weight, Tensor? bias)
    {
        int outF = weight.Size(0), inF = weight.Size(1);
        var layer = new Linear(inF, outF, bias: bias is not null);
        var state = new Dictionary<string, Tensor> { ["weight"] = weight };
        if (bias is not null)
        {
            if (bias.Numel != outF) throw Shape(node, "C", bias, $"[{outF}]");
            state["bias"] = bias.Reshape(outF);
        }
        layer.LoadStateDict(state);
        return layer;
    }

    private Conv2d Conv(NodeProto node)
    {
        A.OnlyKnown(node, "auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        var w = _g.Constant(node.Input[1], node);
        if (w.Rank != 4) throw Shape(node, "W", w, "[out, in, k, k] (a 2-D convolution)");
        int k = w.Size(2);
        if (w.Size(3) != k) throw Unsupported(node, $"a {w.Size(2)}×{w.Size(3)} kernel (only square kernels)");
        if (A.Int(node, "group", 1) != 1) throw Unsupported(node, "grouped convolution");
        if (A.String(node, "auto_pad") is { } ap && ap != "NOTSET") throw Unsupported(node, $"auto_pad {ap}");
        if (A.Ints(node, "kernel_shape") is { } ks && ks.Any(v => v != k)) throw Unsupported(node, "kernel_shape that differs from the weight's");
        if (A.Ints(node, "dilations") is { } dil && dil.Any(v => v != 1)) throw Unsupported(node, "dilation");
        int stride = Uniform(node, A.Ints(node, "strides"), 1, "strides");
        int pad = Uniform(node, A.Ints(node, "pads"), 0, "pads");
        Tensor? b = node.Input.Count > 2 && node.Input[2].Length > 0 ? _g.Constant(node.Input[2], node) : null;
        var layer = new Conv2d(w.Size(1), w.Size(0), k, stride, pad, bias: b is not null);
        var state = new Dictionary<string, Tensor> { ["weight"] = w };
        if (b is not null) state["bias"] = b;
        LoadChecked(node, layer, state);
        return layer;
    }

    private Module Pool(NodeProto node, bool max)
    {
        A.OnlyKnown(node, "auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "storage_order", "strides");
        var ks = A.Ints(node, "kernel_shape") ?? throw Unsupported(node, "no kernel_shape");
        if (ks.Length != 2 || ks[0] != ks[1] || ks[0] <= 0 || ks[0] > int.MaxValue) throw Unsupported(node, $"kernel_shape [{string.Join(", ", ks)}] (only square 2-D windows)");
        if (A.String(node, "auto_pad") is { } ap && ap != "NOTSET") throw Unsupported(node, $"auto_pad {ap}");
        if (A.Int(node, "ceil_mode", 0) != 0) throw Unsupported(node, "ceil_mode = 1");
        if (A.Ints(node, "dilations") is { } dil && dil.Any(v => v != 1)) throw Unsupported(node, "dilation");
        if (Uniform(node, A.Ints(node, "pads"), 0, "pads") != 0) throw Unsupported(node, "padding");
        int stride = Uniform(node, A.Ints(node, "strides"), 1, "strides");
        int k = (int)ks[0];
        return max ? new MaxPool2d(k, stride) : new AvgPool2d(k, stride);
    }

    private static NN.Flatten FlattenFrom(NodeProto node)
    {
        A.OnlyKnown(node, "axis");
        long axis = A.Int(node, "axis", 1);
        if (axis != 1) throw Unsupported(node, $"axis {axis} (only axis 1, as nn.Flatten exports)");
        return new NN.Flatten();
    }

    private NN.Flatten Reshape(NodeProto node)
    {
        A.OnlyKnown(node, "allowzero");
        if (A.Int(node, "allowzero", 0) != 0) throw Unsupported(node, "allowzero = 1");
        if (node.Input.Count < 2) throw Unsupported(node, "no target shape");
        var target = _g.Constant(node.Input[1], node);
        if (target.DType != DType.Int64 || target.Rank != 1) throw Shape(node, "shape", target, "a 1-D int64 tensor");
        var t = target.ToLongArray();
        // [0, …, 0, -1]: keep the leading dimensions and merge the rest, which is Flatten(start).
        if (t.Length == 0 || t[^1] != -1 || t[..^1].Any(v => v != 0))
            throw Unsupported(node, $"target shape [{string.Join(", ", t)}] (only [0, …, 0, -1], a flatten of the trailing dimensions)");
        _rank = t.Length;
        return new NN.Flatten(t.Length - 1);
    }

    private LayerNorm LayerNormFrom(NodeProto node)
    {
        A.OnlyKnown(node, "axis", "epsilon", "stash_type");
        if (A.Int(node, "axis", -1) != -1 && (_rank is not int r || A.Int(node, "axis", -1) != r - 1))
            throw Unsupported(node, $"axis {A.Int(node, "axis", -1)} (only the last dimension)");
        var scale = _g.Constant(node.Input[1], node);
        if (scale.Rank != 1) throw Shape(node, "Scale", scale, "[dim] (normalizing the last dimension)");
        int d = scale.Size(0);
        Tensor b = node.Input.Count > 2 && node.Input[2].Length > 0 ? _g.Constant(node.Input[2], node) : Tensor.Zeros(d);
        var layer = new LayerNorm(d, A.Float(node, "epsilon", 1e-5f));
        LoadChecked(node, layer, new Dictionary<string, Tensor> { ["weight"] = scale, ["bias"] = b });
        return layer;
    }

    private BatchNormBase BatchNormFrom(NodeProto node)
    {
        A.OnlyKnown(node, "epsilon", "momentum", "training_mode", "spatial");
        if (A.Int(node, "training_mode", 0) != 0) throw Unsupported(node, "training_mode = 1");
        if (node.Input.Count != 5) throw Unsupported(node, $"{node.Input.Count} inputs (expected X, scale, B, mean, var)");
        var scale = _g.Constant(node.Input[1], node);
        var bias = _g.Constant(node.Input[2], node);
        var mean = _g.Constant(node.Input[3], node);
        var variance = _g.Constant(node.Input[4], node);
        if (scale.Rank != 1) throw Shape(node, "scale", scale, "[C]");
        int c = scale.Size(0);
        float eps = A.Float(node, "epsilon", 1e-5f);
        float momentum = 1f - A.Float(node, "momentum", 0.9f); // ONNX weighs the running value, PyTorch the batch
        if (!(momentum >= 0 && momentum <= 1)) momentum = 0.1f;
        BatchNormBase layer = _rank switch
        {
            2 => new BatchNorm1d(c, eps, momentum),
            4 => new BatchNorm2d(c, eps, momentum),
            _ => throw Unsupported(node, $"input of rank {(_rank is int r ? r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown")} (BatchNorm1d takes rank 2, BatchNorm2d rank 4; give the graph input a shape)"),
        };
        LoadChecked(node, layer, new Dictionary<string, Tensor>
        {
            ["weight"] = scale, ["bias"] = bias, ["running_mean"] = mean, ["running_var"] = variance,
        });
        return layer;
    }

    /// <summary>PyTorch emits a Pad of all zeros before AveragePool; anything else has no NeuroCore layer.</summary>
    private void ZeroPad(NodeProto node)
    {
        A.OnlyKnown(node, "mode");
        if (A.String(node, "mode") is { } mode && mode != "constant") throw Unsupported(node, $"mode {mode}");
        if (node.Input.Count < 2 || node.Input[1].Length == 0 || _g.Constant(node.Input[1], node).ToLongArray().Any(v => v != 0))
            throw Unsupported(node, "non-zero padding as a separate operator");
    }

    private Dropout DropoutFrom(NodeProto node)
    {
        A.OnlyKnown(node, "seed");
        float p = 0.5f;
        if (node.Input.Count > 1 && node.Input[1].Length > 0) p = _g.Constant(node.Input[1], node).ToArray().FirstOrDefault(0.5f);
        if (node.Input.Count > 2 && node.Input[2].Length > 0 && _g.Constant(node.Input[2], node).ToLongArray().FirstOrDefault() != 0)
            throw Unsupported(node, "training_mode = true");
        if (!(p >= 0 && p <= 1)) throw Unsupported(node, $"ratio {p}");
        return new Dropout(p);
    }

    private Embedding Gather(NodeProto node, string x)
    {
        A.OnlyKnown(node, "axis");
        if (node.Input.Count != 2 || node.Input[1] != x || A.Int(node, "axis", 0) != 0)
            throw Unsupported(node, "a form other than Gather(table, indices, axis = 0) (an Embedding lookup)");
        var w = _g.Constant(node.Input[0], node);
        if (w.Rank != 2 || w.DType != DType.Float32) throw Shape(node, "data", w, "a float [num, dim] table");
        var layer = new Embedding(w.Size(0), w.Size(1));
        LoadChecked(node, layer, new Dictionary<string, Tensor> { ["weight"] = w });
        return layer;
    }

    /// <summary>GELU spelled as element-wise nodes (exact: Div/Erf/Add/Mul/Mul; tanh: Mul/Add/Tanh), recognized by its values.</summary>
    private bool TryGelu(string x, out string output)
    {
        output = "";
        foreach (var (nodes, y) in ElementwiseSubgraph.Candidates(_g, x, _output))
        {
            GeluApproximation? kind =
                ElementwiseSubgraph.Matches(_g, nodes, x, ElementwiseSubgraph.GeluExact) ? GeluApproximation.None :
                ElementwiseSubgraph.Matches(_g, nodes, x, ElementwiseSubgraph.GeluTanh) ? GeluApproximation.Tanh : null;
            if (kind is null) continue;
            foreach (var n in nodes) _used.Add(n);
            Add(new GELU(kind.Value));
            output = y;
            return true;
        }
        return false;
    }

    private static int Uniform(NodeProto node, long[]? values, int fallback, string name)
    {
        if (values is null || values.Length == 0) return fallback;
        if (values.Any(v => v != values[0]) || values[0] < 0 || values[0] > int.MaxValue)
            throw Unsupported(node, $"{name} [{string.Join(", ", values)}] (only the same value on every axis and side)");
        return (int)values[0];
    }

    private static void LoadChecked(NodeProto node, Module layer, Dictionary<string, Tensor> state)
    {
        try { layer.LoadStateDict(state, strict: false); }
        catch (ArgumentException e)
        {
            throw new OnnxFormatException($"ONNX import: node '{ImportGraph.NodeLabel(node)}' ({node.OpType}): {e.Message}", e);
        }
    }

    private static OnnxFormatException Unsupported(NodeProto node, string what) =>
        new($"ONNX import: node '{ImportGraph.NodeLabel(node)}' ({node.OpType}) uses {what}, which NeuroCore does not support.");

    private static OnnxFormatException Shape(NodeProto node, string input, Tensor t, string expected) =>
        new($"ONNX import: input {input} of node '{ImportGraph.NodeLabel(node)}' ({node.OpType}) has shape {TensorProtoConversion.Format(t.Shape)}; expected {expected}.");
}
