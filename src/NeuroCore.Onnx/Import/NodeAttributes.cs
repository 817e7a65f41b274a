using Onnx;

namespace NeuroCore.Onnx.Import;

/// <summary>Typed access to a node's attributes, with errors that name the node and attribute.</summary>
internal static class NodeAttributes
{
    public static long Int(NodeProto node, string name, long fallback)
    {
        var a = Find(node, name);
        if (a is null) return fallback;
        if (a.Type != AttributeProto.Types.AttributeType.Int) throw Wrong(node, name, "an integer");
        return a.I;
    }

    public static float Float(NodeProto node, string name, float fallback)
    {
        var a = Find(node, name);
        if (a is null) return fallback;
        if (a.Type != AttributeProto.Types.AttributeType.Float) throw Wrong(node, name, "a float");
        return a.F;
    }

    public static long[]? Ints(NodeProto node, string name)
    {
        var a = Find(node, name);
        if (a is null) return null;
        if (a.Type != AttributeProto.Types.AttributeType.Ints) throw Wrong(node, name, "a list of integers");
        return [.. a.Ints];
    }

    public static string? String(NodeProto node, string name)
    {
        var a = Find(node, name);
        if (a is null) return null;
        if (a.Type != AttributeProto.Types.AttributeType.String) throw Wrong(node, name, "a string");
        return a.S.ToStringUtf8();
    }

    /// <summary>Rejects attributes outside <paramref name="known"/>, so that nothing is silently ignored.</summary>
    public static void OnlyKnown(NodeProto node, params string[] known)
    {
        foreach (var a in node.Attribute)
            if (Array.IndexOf(known, a.Name) < 0)
                throw new OnnxFormatException($"ONNX import: node '{ImportGraph.NodeLabel(node)}' ({node.OpType}) has attribute '{a.Name}', which NeuroCore does not support.");
    }

    private static AttributeProto? Find(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private static OnnxFormatException Wrong(NodeProto node, string name, string expected) =>
        new($"ONNX import: attribute '{name}' of node '{ImportGraph.NodeLabel(node)}' ({node.OpType}) must be {expected}.");
}
