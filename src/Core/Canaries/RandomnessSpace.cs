using System.Numerics;

namespace MemScan.Scanner.Canaries;

/// <summary>
/// The set R a canary's secret is drawn from: every string of <see cref="Length"/> symbols over
/// <see cref="Alphabet"/>. Written as "digits:6", "hex:8", "lower:5", "alnum:4" or
/// "chars:ABC:3" (an explicit alphabet).
/// </summary>
public sealed record RandomnessSpace(string Alphabet, int Length)
{
    static readonly Dictionary<string, string> NamedAlphabets = new()
    {
        ["digits"] = "0123456789",
        ["hex"] = "0123456789abcdef",
        ["lower"] = "abcdefghijklmnopqrstuvwxyz",
        ["upper"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        ["alnum"] = "0123456789abcdefghijklmnopqrstuvwxyz",
    };

    /// <summary>|R| as a double (exact up to 2^53, which covers every space we enumerate).</summary>
    public double Size => Math.Pow(Alphabet.Length, Length);
    public BigInteger ExactSize => BigInteger.Pow(Alphabet.Length, Length);
    public double Log2Size => Length * Math.Log2(Alphabet.Length);

    public static RandomnessSpace Parse(string spec)
    {
        var parts = spec.Split(':');
        string alphabet;
        string lengthText;
        if (parts.Length == 2 && NamedAlphabets.TryGetValue(parts[0], out var named))
        {
            alphabet = named;
            lengthText = parts[1];
        }
        else if (parts.Length == 3 && parts[0] == "chars" && parts[1].Length > 0)
        {
            alphabet = parts[1];
            lengthText = parts[2];
        }
        else
        {
            throw new MemScanException(
                $"randomness space '{spec}' is not understood: use NAME:LENGTH with NAME one of " +
                $"{string.Join(", ", NamedAlphabets.Keys)}, or chars:ALPHABET:LENGTH");
        }
        if (!int.TryParse(lengthText, out int length) || length < 1 || length > 64)
            throw new MemScanException($"randomness space '{spec}': length must be 1..64, got '{lengthText}'");
        if (alphabet.Distinct().Count() != alphabet.Length)
            throw new MemScanException($"randomness space '{spec}': alphabet has repeated symbols");
        return new RandomnessSpace(alphabet, length);
    }

    public override string ToString()
    {
        var name = NamedAlphabets.FirstOrDefault(kv => kv.Value == Alphabet).Key;
        return name is null ? $"chars:{Alphabet}:{Length}" : $"{name}:{Length}";
    }

    public bool Contains(string secret) => secret.Length == Length && secret.All(c => Alphabet.Contains(c));

    /// <summary>The candidate with the given index in lexicographic (alphabet) order.</summary>
    public string At(long index)
    {
        var chars = new char[Length];
        for (int i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(index % Alphabet.Length)];
            index /= Alphabet.Length;
        }
        return new string(chars);
    }

    /// <summary>The index of a candidate in lexicographic (alphabet) order; inverse of <see cref="At"/>.</summary>
    public long IndexOf(string candidate)
    {
        // candidates are secrets: the message gives the length only
        if (!Contains(candidate)) throw new MemScanException($"a candidate of {candidate.Length} characters is not in the randomness space {this}");
        long index = 0;
        foreach (char c in candidate) index = index * Alphabet.Length + Alphabet.IndexOf(c);
        return index;
    }

    /// <summary>A uniformly random candidate, as the trainer draws secrets.</summary>
    public string Sample(Random random)
    {
        var chars = new char[Length];
        for (int i = 0; i < Length; i++) chars[i] = Alphabet[random.Next(Alphabet.Length)];
        return new string(chars);
    }
}
