namespace NeuroCore.IO;

/// <summary>
/// Element types of the safetensors format, spelled as in the file header (<c>"F32"</c>, <c>"F16"</c>, …).
/// </summary>
/// <remarks>
/// NeuroCore tensors are float32 or int64, so on load floating types become float32 and integer
/// (and boolean) types become int64. On save, float32 tensors may be stored as <see cref="F32"/>,
/// <see cref="F16"/> or <see cref="BF16"/>; int64 tensors are always stored as <see cref="I64"/>.
/// </remarks>
public enum SafeTensorsDType
{
    /// <summary>32-bit IEEE float.</summary>
    F32,
    /// <summary>16-bit IEEE float (half precision): about 3 significant decimal digits, range ±65504.</summary>
    F16,
    /// <summary>bfloat16: float32's range with 8 bits of mantissa.</summary>
    BF16,
    /// <summary>64-bit IEEE float (read only; loaded as float32).</summary>
    F64,
    /// <summary>64-bit signed integer.</summary>
    I64,
    /// <summary>32-bit signed integer (read only; loaded as int64).</summary>
    I32,
    /// <summary>16-bit signed integer (read only; loaded as int64).</summary>
    I16,
    /// <summary>8-bit signed integer (read only; loaded as int64).</summary>
    I8,
    /// <summary>8-bit unsigned integer (read only; loaded as int64).</summary>
    U8,
    /// <summary>Boolean stored as one byte (read only; loaded as int64 0/1).</summary>
    BOOL,
}

/// <summary>Byte sizes and header spellings of <see cref="SafeTensorsDType"/>.</summary>
internal static class SafeTensorsDTypes
{
    public static int ElementSize(SafeTensorsDType t) => t switch
    {
        SafeTensorsDType.F64 or SafeTensorsDType.I64 => 8,
        SafeTensorsDType.F32 or SafeTensorsDType.I32 => 4,
        SafeTensorsDType.F16 or SafeTensorsDType.BF16 or SafeTensorsDType.I16 => 2,
        _ => 1,
    };

    public static string Name(SafeTensorsDType t) => t.ToString();

    public static bool TryParse(string name, out SafeTensorsDType dtype)
    {
        // Exact, case-sensitive names as the format defines them; Enum.TryParse would also accept "1" or "f32".
        foreach (var v in Enum.GetValues<SafeTensorsDType>())
        {
            if (v.ToString() == name)
            {
                dtype = v;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    public static bool IsFloating(SafeTensorsDType t) =>
        t is SafeTensorsDType.F32 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 or SafeTensorsDType.F64;
}
