using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeuroCore.IO;

namespace NeuroCore.Tests.IO;

/// <summary>
/// Random damage to a valid file must either leave it loadable (when the damage hits tensor data or
/// padding, or is harmless) or be reported as <see cref="InvalidDataException"/>: never another exception, never a hang.
/// </summary>
public sealed class SafeTensorsCorruptionProperties
{
    private static readonly byte[] Valid = BuildValidFile();

    private static byte[] BuildValidFile()
    {
        var g = new Generator(7);
        var ms = new MemoryStream();
        SafeTensors.Save(ms, new Dictionary<string, Tensor>
        {
            ["a.weight"] = Tensor.Randn([3, 2], g),
            ["a.bias"] = Tensor.FromArray([1f, 2f, 3f]),
            ["count"] = Tensor.FromArray([42L]),
            ["empty"] = Tensor.Zeros(0),
            ["half"] = Tensor.Randn([5], g),
        }, new Dictionary<string, string> { ["format"] = "pt" });
        return ms.ToArray();
    }

    private static bool LoadsOrRejects(byte[] bytes)
    {
        try
        {
            var content = SafeTensors.Load(new MemoryStream(bytes));
            // When it loads, every tensor must be consistent with its header entry.
            foreach (var (_, t) in content.Tensors) _ = t.DType == DType.Float32 ? t.ToArray().Length : t.ToLongArray().Length;
            return true;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    [Property(MaxTest = 500)]
    public bool ByteCorruptionLoadsOrThrowsInvalidData(NonNegativeInt position, byte value, PositiveInt count)
    {
        var bytes = (byte[])Valid.Clone();
        // Spread up to 4 corrupted bytes from the chosen position, mostly inside the header where it matters.
        for (int k = 0; k < Math.Min(count.Get, 4); k++)
            bytes[(position.Get + 31 * k) % bytes.Length] = (byte)(value + k);
        return LoadsOrRejects(bytes);
    }

    [Property(MaxTest = 200)]
    public bool TruncationLoadsOrThrowsInvalidData(NonNegativeInt length)
    {
        int n = length.Get % Valid.Length; // strictly shorter than the file
        return LoadsOrRejects(Valid[..n]) && Throws(Valid[..n]);
    }

    [Property(MaxTest = 200)]
    public bool DataCorruptionStillLoadsWithTheSameTensorNames(NonNegativeInt position, byte value)
    {
        var header = SafeTensors.ReadHeader(new MemoryStream(Valid));
        int dataLength = Valid.Length - (int)header.DataOffset;
        var bytes = (byte[])Valid.Clone();
        bytes[(int)header.DataOffset + position.Get % dataLength] ^= (byte)(value | 1);
        var loaded = SafeTensors.Load(new MemoryStream(bytes));
        return loaded.Tensors.Count == 5 && loaded.Metadata["format"] == "pt";
    }

    private static bool Throws(byte[] bytes)
    {
        // Every proper prefix lacks data the header promises (or the header itself), so it must be rejected.
        try { SafeTensors.Load(new MemoryStream(bytes)); return false; }
        catch (InvalidDataException) { return true; }
    }

    [Fact]
    public void EveryHeaderByteFlipIsHandled()
    {
        // Exhaustive over the header region for a few values: deterministic complement to the random properties.
        int headerEnd = (int)SafeTensors.ReadHeader(new MemoryStream(Valid)).DataOffset;
        foreach (byte v in new byte[] { 0, (byte)'"', (byte)'9', (byte)'{', (byte)',', 0xFF, 0xC3 })
            for (int i = 0; i < headerEnd; i++)
            {
                var bytes = (byte[])Valid.Clone();
                bytes[i] = v;
                Assert.True(LoadsOrRejects(bytes), $"byte {i} set to {v}");
            }
    }
}
