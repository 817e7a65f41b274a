using System.Diagnostics;
using Google.Protobuf;
using NeuroCore.NN;
using NeuroCore.Onnx.Tests.Infrastructure;
using Onnx;

namespace NeuroCore.Onnx.Tests;

/// <summary>Broken, hostile and unsupported ONNX files give an <see cref="OnnxFormatException"/> that names the problem, quickly.</summary>
public class BadInputTests
{
    private static byte[] Valid() => ModelZoo.Create("fashion_cnn").Model.ToOnnx(new OnnxExportOptions { InputShape = [1, 28, 28] });

    private static ModelProto ValidProto() => ModelProto.Parser.ParseFrom(Valid());

    private static string Fails(byte[] bytes, OnnxImportOptions? options = null) =>
        Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(bytes, options)).Message;

    [Fact]
    public void EmptyAndGarbageFilesAreNotOnnx()
    {
        Assert.Contains("empty", Fails([]));
        // Text may happen to parse as protobuf fields; either way it is refused as not ONNX.
        Assert.Matches("not a valid ONNX protobuf|has no graph", Fails("this is a text file, not a model\n"u8.ToArray()));
        var valid = Valid();
        Assert.Contains("not a valid ONNX protobuf", Fails(valid[..(valid.Length / 2)]));
    }

    [Fact]
    public void AFileOverTheSizeLimitIsRefusedBeforeParsing()
    {
        using var dir = new NeuroCore.Tests.Infrastructure.TempDirectory();
        var path = dir.File("m.onnx");
        File.WriteAllBytes(path, Valid());
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(path, new OnnxImportOptions { MaxBytes = 1000 }));
        Assert.Contains("MaxBytes", e.Message);
    }

    [Fact]
    public void UnsupportedOperatorIsNamed()
    {
        var proto = ValidProto();
        proto.Graph.Node[1].OpType = "Cos"; // the first Relu
        var message = Fails(proto.ToByteArray());
        Assert.Contains("operator 'Cos'", message);
        Assert.Contains("not supported", message);
    }

    [Fact]
    public void OperatorOfAnotherDomainIsNamed()
    {
        var proto = ValidProto();
        proto.Graph.Node[1].Domain = "com.microsoft";
        Assert.Contains("domain 'com.microsoft'", Fails(proto.ToByteArray()));
    }

    [Fact]
    public void UnsupportedAttributeIsNamed()
    {
        var proto = ValidProto();
        proto.Graph.Node[0].Attribute.Single(a => a.Name == "group").I = 2;
        Assert.Contains("grouped convolution", Fails(proto.ToByteArray()));
    }

    [Fact]
    public void OldOrUnknownOpsetIsRefused()
    {
        var proto = ValidProto();
        proto.OpsetImport[0].Version = 9;
        Assert.Contains("operator set version 9", Fails(proto.ToByteArray()));
    }

    [Fact]
    public void BranchingGraphIsRefused()
    {
        // y = relu(x) + x: a residual connection is not a Sequential.
        var g = new GraphProto { Name = "residual" };
        g.Input.Add(new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        g.Output.Add(new ValueInfoProto { Name = "y", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        g.Node.Add(new NodeProto { OpType = "Relu", Name = "relu", Input = { "x" }, Output = { "r" } });
        g.Node.Add(new NodeProto { OpType = "Add", Name = "add", Input = { "r", "x" }, Output = { "y" } });
        var model = new ModelProto { IrVersion = 8, Graph = g, OpsetImport = { new OperatorSetIdProto { Version = 17 } } };
        var message = Fails(model.ToByteArray());
        Assert.Contains("several nodes", message);
    }

    [Fact]
    public void AValueReadByEveryNodeIsRefusedWithAShortMessage()
    {
        // 50 000 nodes all reading the input: linear work to refuse, and a message that stays one line.
        var g = new GraphProto { Name = "fan-out" };
        g.Input.Add(new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        g.Output.Add(new ValueInfoProto { Name = "y0", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        for (int i = 0; i < 50_000; i++) g.Node.Add(new NodeProto { OpType = "Relu", Input = { "x" }, Output = { $"y{i}" } });
        var model = new ModelProto { IrVersion = 8, Graph = g, OpsetImport = { new OperatorSetIdProto { Version = 17 } } };
        var message = Fails(model.ToByteArray());
        Assert.Contains("read by several nodes", message);
        Assert.Contains("and 49996 more", message);
        Assert.True(message.Length < 1000, message.Length.ToString());
    }

    [Fact]
    public void HugeDeclaredTensorIsRefusedWithoutAllocating()
    {
        var proto = ValidProto();
        var w = proto.Graph.Initializer.Single(i => i.Name == "0.weight");
        w.Dims.Clear();
        w.Dims.Add([1_000_000_000L, 1_000_000_000L, 3, 3]);
        var before = GC.GetAllocatedBytesForCurrentThread(); // this thread only: other tests run in parallel
        Assert.Contains("more than", Fails(proto.ToByteArray()));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "refusing a huge tensor must not allocate it");
    }

    [Fact]
    public void RawDataThatDisagreesWithTheShapeIsNamed()
    {
        var proto = ValidProto();
        var w = proto.Graph.Initializer.Single(i => i.Name == "7.weight");
        w.RawData = w.RawData.Span[..100].ToArray() is var b ? ByteString.CopyFrom(b) : w.RawData;
        var message = Fails(proto.ToByteArray());
        Assert.Contains("'7.weight'", message);
        Assert.Contains("bytes of raw data", message);
    }

    [Fact]
    public void ExternalDataIsRefused()
    {
        var proto = ValidProto();
        var w = proto.Graph.Initializer.Single(i => i.Name == "0.weight");
        w.DataLocation = TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/passwd" });
        Assert.Contains("external file", Fails(proto.ToByteArray()));
    }

    [Fact]
    public void MutatedFilesEitherLoadOrFailCleanly()
    {
        var valid = Valid();
        var rng = new Random(1234);
        var watch = Stopwatch.StartNew();
        int loaded = 0, refused = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var bytes = (byte[])valid.Clone();
            int flips = 1 + rng.Next(8);
            // Mutate mostly the structure (the first and last kilobytes), not only weight bytes.
            for (int k = 0; k < flips; k++)
            {
                int at = rng.Next(3) switch { 0 => rng.Next(Math.Min(1024, bytes.Length)), 1 => bytes.Length - 1 - rng.Next(Math.Min(1024, bytes.Length)), _ => rng.Next(bytes.Length) };
                bytes[at] = (byte)rng.Next(256);
            }
            try
            {
                OnnxModel.Load(bytes);
                loaded++;
            }
            catch (OnnxFormatException)
            {
                refused++;
            }
        }
        Assert.Equal(300, loaded + refused);
        Assert.True(refused > 0);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"300 mutated files took {watch.Elapsed}");
    }

    [Fact]
    public void DeeplyNestedMessagesHitTheRecursionLimit()
    {
        // A graph attribute holding a graph holding a graph …: protobuf's recursion limit stops it.
        var inner = new GraphProto { Name = "g" };
        for (int i = 0; i < 200; i++)
        {
            var node = new NodeProto { OpType = "If" };
            node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = inner });
            inner = new GraphProto { Name = "g", Node = { node } };
        }
        var model = new ModelProto { IrVersion = 8, Graph = inner, OpsetImport = { new OperatorSetIdProto { Version = 17 } } };
        var bytes = model.ToByteArray();
        Assert.Contains("not a valid ONNX protobuf", Fails(bytes));
    }
}
