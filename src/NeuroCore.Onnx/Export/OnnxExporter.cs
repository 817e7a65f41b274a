using Google.Protobuf;
using NeuroCore.NN;
using NeuroCore.Onnx.Export;
using Onnx;
using B = NeuroCore.Onnx.Export.OnnxGraphBuilder;

namespace NeuroCore.Onnx;

/// <summary>
/// Writes a <see cref="Sequential"/> of supported layers as an ONNX model (opset 17, IR version 8), with the
/// state-dict names (<c>0.weight</c>, <c>3.running_mean</c>, …) on the initializers. Supported: Linear,
/// Conv2d, MaxPool2d, AvgPool2d, Flatten (to the last dimension), ReLU, LeakyReLU, Tanh, Sigmoid, GELU
/// (exact as its Erf subgraph, tanh-approximated as its Tanh subgraph), Softmax, LogSoftmax, LayerNorm,
/// BatchNorm1d/2d (their running statistics, as in eval mode), Dropout (Identity), Embedding (Gather), and
/// nested Sequentials. See <c>docs/onnx.md</c>.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Builds the ONNX model and returns its serialized bytes.</summary>
    /// <exception cref="NotSupportedException">A layer (named by its state-dict prefix and type) has no ONNX form here.</exception>
    public static byte[] Export(Sequential model, OnnxExportOptions? options = null) => BuildModel(model, options).ToByteArray();

    /// <summary>Writes the ONNX model to <paramref name="path"/> (a temporary file, then renamed over it).</summary>
    public static void Save(Sequential model, string path, OnnxExportOptions? options = null)
    {
        var bytes = Export(model, options);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true); // durable before the rename makes it visible
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    internal static ModelProto BuildModel(Sequential model, OnnxExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var o = options ?? new OnnxExportOptions();
        var graph = new GraphProto { Name = o.GraphName };
        var b = new B(graph);
        var (inputShape, inputIsIndices) = InputSignature(model, o);
        graph.Input.Add(ValueInfo(b.Reserve(o.InputName), inputIsIndices ? TensorProtoConversion.Int64 : TensorProtoConversion.Float, inputShape));

        var state = new ExportState(b, o.InputName, inputShape);
        EmitSequential(model, "", state);

        // The last value becomes the named graph output.
        if (state.Value == o.InputName)
            state.Value = b.Node("Identity", "output", [state.Value]);
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == state.Value) node.Output[i] = o.OutputName;
        graph.Output.Add(ValueInfo(b.Reserve(o.OutputName), TensorProtoConversion.Float, [.. state.Shape]));

        var proto = new ModelProto
        {
            IrVersion = OnnxFormat.IrVersion,
            ProducerName = "NeuroCore",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
            Graph = graph,
        };
        if (o.DocString is not null) proto.DocString = o.DocString;
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxFormat.OpsetVersion });
        return proto;
    }

    private sealed class ExportState(B builder, string value, object[] shape)
    {
        public B Builder { get; } = builder;
        public string Value { get; set; } = value;
        /// <summary>The current value's shape: known sizes as int, symbolic ones as their dim_param name.</summary>
        public List<object> Shape { get; } = [.. shape];
        public int Rank => Shape.Count;

        /// <summary>The size after a window of <paramref name="k"/> with stride and padding (symbolic stays symbolic, renamed).</summary>
        public void Window(string layer, int k, int stride, int padding)
        {
            for (int d = Rank - 2; d < Rank; d++)
                Shape[d] = Shape[d] is int n ? (n + 2 * padding - k) / stride + 1 : $"{layer}_{(d == Rank - 2 ? "height" : "width")}";
        }
    }

    private static void EmitSequential(Sequential model, string prefix, ExportState s)
    {
        foreach (var (childName, layer) in model.NamedChildren())
        {
            var name = prefix.Length == 0 ? childName : prefix + "." + childName;
            if (layer is Sequential inner) EmitSequential(inner, name, s);
            else EmitLayer(layer, name, s);
        }
    }

    private static void EmitLayer(Module layer, string name, ExportState s)
    {
        var b = s.Builder;
        var x = s.Value;
        switch (layer)
        {
            case Linear l:
            {
                var w = b.Initializer($"{name}.weight", l.Weight);
                var bias = l.Bias is null ? null : b.Initializer($"{name}.bias", l.Bias);
                s.Shape[^1] = l.OutFeatures;
                if (s.Rank == 2)
                {
                    // Gemm computes x·Wᵀ + b directly, as PyTorch exports a Linear on [N, in].
                    s.Value = b.Node("Gemm", name, bias is null ? [x, w] : [x, w, bias],
                        B.Float("alpha", 1f), B.Float("beta", 1f), B.Int("transB", 1));
                }
                else
                {
                    var wt = b.Node("Transpose", name, [w], B.Ints("perm", 1, 0));
                    s.Value = b.Node("MatMul", name, [x, wt]);
                    if (bias is not null) s.Value = b.Node("Add", name, [s.Value, bias]);
                }
                break;
            }
            case Conv2d c:
            {
                var w = b.Initializer($"{name}.weight", c.Weight);
                var inputs = c.Bias is null ? new[] { x, w } : [x, w, b.Initializer($"{name}.bias", c.Bias)];
                long k = c.KernelSize, st = c.Stride, p = c.Padding;
                s.Value = b.Node("Conv", name, inputs,
                    B.Ints("dilations", 1, 1), B.Int("group", 1), B.Ints("kernel_shape", k, k),
                    B.Ints("pads", p, p, p, p), B.Ints("strides", st, st));
                s.Shape[1] = c.OutChannels;
                s.Window(name, c.KernelSize, c.Stride, c.Padding);
                break;
            }
            case MaxPool2d m:
                s.Value = b.Node("MaxPool", name, [x], B.Int("ceil_mode", 0), B.Ints("kernel_shape", m.KernelSize, m.KernelSize),
                    B.Ints("pads", 0, 0, 0, 0), B.Ints("strides", m.Stride, m.Stride));
                s.Window(name, m.KernelSize, m.Stride, 0);
                break;
            case AvgPool2d a:
                s.Value = b.Node("AveragePool", name, [x], B.Int("ceil_mode", 0), B.Int("count_include_pad", 0),
                    B.Ints("kernel_shape", a.KernelSize, a.KernelSize), B.Ints("pads", 0, 0, 0, 0), B.Ints("strides", a.Stride, a.Stride));
                s.Window(name, a.KernelSize, a.Stride, 0);
                break;
            case Flatten f:
                EmitFlatten(f, name, s);
                return;
            case ReLU:
                s.Value = b.Node("Relu", name, [x]);
                break;
            case LeakyReLU lr:
                s.Value = b.Node("LeakyRelu", name, [x], B.Float("alpha", lr.NegativeSlope));
                break;
            case Tanh:
                s.Value = b.Node("Tanh", name, [x]);
                break;
            case Sigmoid:
                s.Value = b.Node("Sigmoid", name, [x]);
                break;
            case GELU g when g.Approximate == GeluApproximation.None:
            {
                // 0.5·x·(1 + erf(x/√2)), node for node as PyTorch exports nn.GELU() (opset 17 has no Gelu).
                var div = b.Node("Div", name, [x, b.Scalar($"/{name}/Constant_sqrt2", MathF.Sqrt(2f))]);
                var erf = b.Node("Erf", name, [div]);
                var add = b.Node("Add", name, [erf, b.Scalar($"/{name}/Constant_one", 1f)]);
                var mul = b.Node("Mul", name, [x, add]);
                s.Value = b.Node("Mul", name, [mul, b.Scalar($"/{name}/Constant_half", 0.5f)]);
                break;
            }
            case GELU:
            {
                // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), PyTorch's approximate='tanh'.
                var x2 = b.Node("Mul", name, [x, x]);
                var x3 = b.Node("Mul", name, [x2, x]);
                var cx3 = b.Node("Mul", name, [x3, b.Scalar($"/{name}/Constant_c", 0.044715f)]);
                var inner = b.Node("Add", name, [x, cx3]);
                var scaled = b.Node("Mul", name, [inner, b.Scalar($"/{name}/Constant_sqrt_2_over_pi", MathF.Sqrt(2f / MathF.PI))]);
                var th = b.Node("Tanh", name, [scaled]);
                var add = b.Node("Add", name, [th, b.Scalar($"/{name}/Constant_one", 1f)]);
                var mul = b.Node("Mul", name, [x, add]);
                s.Value = b.Node("Mul", name, [mul, b.Scalar($"/{name}/Constant_half", 0.5f)]);
                break;
            }
            case Softmax sm:
                s.Value = b.Node("Softmax", name, [x], B.Int("axis", sm.Dim));
                break;
            case LogSoftmax lsm:
                s.Value = b.Node("LogSoftmax", name, [x], B.Int("axis", lsm.Dim));
                break;
            case LayerNorm ln:
            {
                var scale = ln.Weight is null ? b.Constant(($"/{name}/ones"), Tensor.Ones(ln.NormalizedShape)) : b.Initializer($"{name}.weight", ln.Weight);
                var shift = ln.Bias is null ? b.Constant(($"/{name}/zeros"), Tensor.Zeros(ln.NormalizedShape)) : b.Initializer($"{name}.bias", ln.Bias);
                s.Value = b.Node("LayerNormalization", name, [x, scale, shift], B.Int("axis", -1), B.Float("epsilon", ln.Eps));
                break;
            }
            case BatchNormBase bn:
            {
                var scale = bn.Weight is null ? b.Constant(($"/{name}/ones"), Tensor.Ones(bn.NumFeatures)) : b.Initializer($"{name}.weight", bn.Weight);
                var shift = bn.Bias is null ? b.Constant(($"/{name}/zeros"), Tensor.Zeros(bn.NumFeatures)) : b.Initializer($"{name}.bias", bn.Bias);
                var mean = b.Initializer($"{name}.running_mean", bn.RunningMean);
                var variance = b.Initializer($"{name}.running_var", bn.RunningVar);
                // ONNX's momentum weighs the running value (PyTorch's weighs the batch); only training uses it.
                s.Value = b.Node("BatchNormalization", name, [x, scale, shift, mean, variance],
                    B.Float("epsilon", bn.Eps), B.Float("momentum", 1f - bn.Momentum));
                break;
            }
            case Dropout:
                s.Value = b.Node("Identity", name, [x]);
                break;
            case Embedding e:
            {
                var w = b.Initializer($"{name}.weight", e.Weight);
                s.Value = b.Node("Gather", name, [w, x], B.Int("axis", 0));
                s.Shape.Add(e.EmbeddingDim);
                return;
            }
            default:
                throw new NotSupportedException(
                    $"ONNX export: layer '{name}' is {layer.TypeName}, which has no ONNX form here; supported: Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softmax, LogSoftmax, LayerNorm, BatchNorm1d/2d, Dropout, Embedding, Sequential.");
        }
    }

    private static void EmitFlatten(Flatten f, string name, ExportState s)
    {
        var b = s.Builder;
        int rank = s.Rank;
        int start = f.StartDim < 0 ? f.StartDim + rank : f.StartDim;
        int end = f.EndDim < 0 ? f.EndDim + rank : f.EndDim;
        if (start < 0 || start >= Math.Max(rank, 1) || end < start || end >= Math.Max(rank, 1))
            throw new NotSupportedException($"ONNX export: Flatten '{name}' ({f.StartDim}, {f.EndDim}) does not fit an input of rank {rank}.");
        if (end != rank - 1)
            throw new NotSupportedException($"ONNX export: Flatten '{name}' ends at dimension {f.EndDim} of {rank}; only flattening through the last dimension is exported.");
        if (start == end) return; // nothing to merge
        if (start == 1)
            s.Value = b.Node("Flatten", name, [s.Value], B.Int("axis", 1)); // as PyTorch exports nn.Flatten()
        else
        {
            // 0 keeps the input's dimension at that position; -1 takes the rest.
            var target = Enumerable.Repeat(0L, start).Append(-1L).ToArray();
            s.Value = b.Node("Reshape", name, [s.Value, b.Int64s($"/{name}/shape", target)]);
        }
        var merged = s.Shape.Skip(start).All(d => d is int) ? (object)s.Shape.Skip(start).Aggregate(1, (a, d) => a * (int)d) : $"{name}_flat";
        s.Shape.RemoveRange(start, rank - start);
        s.Shape.Add(merged);
    }

    private static (object[] Shape, bool Indices) InputSignature(Sequential model, OnnxExportOptions o)
    {
        var first = FirstLayer(model);
        bool indices = first is Embedding;
        if (o.InputShape is { } given)
        {
            if (given.Any(d => d <= 0)) throw new ArgumentException($"ONNX export: InputShape [{string.Join(", ", given)}] must have positive dimensions.");
            return ([(object)"batch", .. given.Select(d => (object)d)], indices);
        }
        object[] example = first switch
        {
            Linear l => [l.InFeatures],
            Conv2d c => [c.InChannels, "height", "width"],
            Embedding => ["sequence"],
            LayerNorm ln => [ln.NormalizedShape],
            BatchNorm1d bn => [bn.NumFeatures],
            BatchNorm2d bn => [bn.NumFeatures, "height", "width"],
            null => throw new ArgumentException("ONNX export: the model has no layers."),
            _ => throw new ArgumentException($"ONNX export: the input shape cannot be inferred from a first layer of type {first.TypeName}; set OnnxExportOptions.InputShape."),
        };
        return ([(object)"batch", .. example], indices);
    }

    private static Module? FirstLayer(Sequential model)
    {
        foreach (var layer in model.Layers)
            return layer is Sequential inner ? FirstLayer(inner) ?? null : layer;
        return null;
    }

    private static ValueInfoProto ValueInfo(string name, int elemType, object[]? shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = elemType };
        if (shape is not null)
        {
            tensor.Shape = new TensorShapeProto();
            foreach (var d in shape)
                tensor.Shape.Dim.Add(d is int v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = (string)d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
