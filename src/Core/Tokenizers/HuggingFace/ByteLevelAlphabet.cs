using System.Text;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// GPT-2's printable stand-ins for the 256 byte values (the same table as <see cref="Gpt2BpeTokenizer"/>):
/// ByteLevel pre-tokenizers write text as its UTF-8 bytes in this alphabet, ByteLevel decoders read it back.
/// </summary>
internal static class ByteLevelAlphabet
{
    static readonly char[] ByteToChar = Gpt2BpeTokenizer.ByteAlphabet();
    static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text); // a lone surrogate becomes EF BF BD, as in the reference
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Appends the bytes <paramref name="token"/> stands for; a character outside the alphabet stands for its own UTF-8 bytes.</summary>
    public static void AppendBytes(string token, List<byte> bytes)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in token.EnumerateRunes())
        {
            if (rune.IsBmp && CharToByte.TryGetValue((char)rune.Value, out byte b)) bytes.Add(b);
            else bytes.AddRange(utf8[..rune.EncodeToUtf8(utf8)].ToArray());
        }
    }
}
