using System.Buffers.Binary;
using System.Text;

namespace NeuroCore.Tests.Fuzz;

/// <summary>
/// Seeded mutations of a valid input, the kinds a mutation fuzzer (AFL, libFuzzer) tries: bit flips, random and
/// "interesting" bytes, interesting 32/64-bit integers in both byte orders, inserted, deleted, duplicated and
/// truncated ranges, and — for the text formats (JSON headers, CSV, JSON lines) — numbers replaced by huge,
/// negative or fractional ones and JSON escapes such as lone surrogates. Same seed, same sequence.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[] InterestingBytes = [0, 1, 0x7F, 0x80, 0xFF, (byte)'"', (byte)'\\', (byte)',', (byte)'\n', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'-', (byte)'.'];
    private static readonly long[] InterestingIntegers =
        [0, 1, -1, 2, 255, 256, 65535, 65536, int.MaxValue, (long)int.MaxValue + 1, int.MinValue, uint.MaxValue, Array.MaxLength, long.MaxValue, long.MinValue];
    private static readonly string[] InterestingTokens =
        ["0", "-1", "2147483647", "2147483648", "4294967296", "65536", "9223372036854775807", "99999999999999999999", "1e308", "-0", "2.5", "NaN",
         "\\ud800", "\\udc00", "\\u0000", "\"", "null", "[]", "{}", "true", "[65536,65536,0]", "..", "../x", "/etc/passwd", ""];

    private readonly Random _random = new(seed);

    /// <summary>One mutant of <paramref name="input"/> (1 to 4 stacked mutations).</summary>
    public byte[] Mutate(byte[] input)
    {
        var data = new List<byte>(input);
        int count = 1 + _random.Next(4);
        for (int i = 0; i < count; i++) MutateOnce(data);
        return [.. data];
    }

    private void MutateOnce(List<byte> data)
    {
        if (data.Count == 0)
        {
            data.Add((byte)_random.Next(256));
            return;
        }
        int at = _random.Next(data.Count);
        switch (_random.Next(11))
        {
            case 0: data[at] ^= (byte)(1 << _random.Next(8)); break;
            case 1: data[at] = (byte)_random.Next(256); break;
            case 2: data[at] = InterestingBytes[_random.Next(InterestingBytes.Length)]; break;
            case 3: OverwriteInteger(data, at); break;
            case 4: data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16))); break;
            case 5: data.InsertRange(at, RandomBytes(1 + _random.Next(16))); break;
            case 6:
            {
                int length = Math.Min(data.Count - at, 1 + _random.Next(64));
                data.InsertRange(_random.Next(data.Count), data.GetRange(at, length));
                break;
            }
            case 7: data.RemoveRange(at, data.Count - at); break; // truncate
            case 8:
            case 9: ReplaceToken(data); break;
            default: data.InsertRange(at, Encoding.UTF8.GetBytes(InterestingTokens[_random.Next(InterestingTokens.Length)])); break;
        }
    }

    private void OverwriteInteger(List<byte> data, int at)
    {
        long value = InterestingIntegers[_random.Next(InterestingIntegers.Length)];
        Span<byte> bytes = stackalloc byte[8];
        int width = _random.Next(2) == 0 ? 4 : 8;
        if (_random.Next(2) == 0) BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        else if (width == 4) BinaryPrimitives.WriteInt32BigEndian(bytes, (int)value);
        else BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        for (int k = 0; k < width && at + k < data.Count; k++) data[at + k] = bytes[k];
    }

    /// <summary>Replaces a run of digits (or a quoted string's content) with an interesting token.</summary>
    private void ReplaceToken(List<byte> data)
    {
        int start = _random.Next(data.Count);
        int digit = -1;
        for (int k = 0; k < data.Count; k++)
        {
            int i = (start + k) % data.Count;
            if (char.IsAsciiDigit((char)data[i]) || data[i] == '"') { digit = i; break; }
        }
        if (digit < 0) return;
        int end = digit;
        if (data[digit] == '"')
        {
            digit++;
            while (end + 1 < data.Count && data[end + 1] != '"') end++;
            end = Math.Max(end, digit - 1);
        }
        else
        {
            while (digit > 0 && char.IsAsciiDigit((char)data[digit - 1])) digit--;
            while (end + 1 < data.Count && char.IsAsciiDigit((char)data[end + 1])) end++;
        }
        var token = Encoding.UTF8.GetBytes(InterestingTokens[_random.Next(InterestingTokens.Length)]);
        data.RemoveRange(digit, Math.Max(0, end - digit + 1));
        data.InsertRange(digit, token);
    }

    private byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        _random.NextBytes(b);
        return b;
    }
}
