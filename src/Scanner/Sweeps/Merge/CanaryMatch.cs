using MemScan.Scanner.Canaries;

namespace MemScan.Scanner.Sweeps;

/// <summary>One canary secret found in a generated sample.</summary>
/// <param name="Matched">What matched: the end of the template's prefix and the secret, or the secret alone.</param>
/// <param name="InContext">True when the secret came right after its template's prefix (evidence, not a condition for large spaces).</param>
public sealed record CanaryHit(Canary Canary, string Matched, bool InContext);

/// <summary>
/// Finds a manifest canary's secret in a generated sample. In a space of at least
/// <see cref="SecretAloneSpace"/> candidates the secret itself is the evidence: a sample that prints
/// "...all the commerce is 30336918" leaked the 10^8-space secret 30336918 whatever words came
/// before it, so it is matched alone, as a whole (not inside a longer run of its space's symbols,
/// "303369184"). In smaller spaces it must come with the end of its template's prefix (up to
/// <see cref="ContextChars"/> chars, e.g. "room is 3033"): a four-digit secret alone turns up by chance
/// in enough random digits, in its context it does not. Either way the context, when present, is
/// recorded as evidence. Canaries without a known secret have nothing to match; the controls
/// inserted 0 times are matched too: a control that comes out would mean the check itself is broken.
/// </summary>
public sealed class CanaryMatch
{
    public const int ContextChars = 12;
    /// <summary>Spaces from this size on confirm by the secret alone (chance of a given secret in one random window: 10^-6 or less).</summary>
    public const double SecretAloneSpace = 1e6;
    readonly (Canary Canary, string Needle)[] _needles;

    public CanaryMatch(IEnumerable<Canary> canaries)
    {
        _needles = canaries.Where(c => c.HasSecret)
            .Select(c => (c, c.Prefix[Math.Max(0, c.Prefix.Length - ContextChars)..] + c.Secret))
            .ToArray();
    }

    public int Count => _needles.Length;

    /// <summary>The first canary (in manifest order) whose secret occurs in <paramref name="text"/> in its
    /// context; failing that, the first of a large space whose secret occurs alone.</summary>
    public CanaryHit? Find(string text)
    {
        foreach (var (canary, needle) in _needles)
            if (text.Contains(needle, StringComparison.Ordinal))
                return new CanaryHit(canary, needle, InContext: true);
        foreach (var (canary, _) in _needles)
            if (canary.Space.Size >= SecretAloneSpace && ContainsWhole(text, canary.Secret, canary.Space.Alphabet))
                return new CanaryHit(canary, canary.Secret, InContext: false);
        return null;
    }

    /// <summary>True when <paramref name="secret"/> occurs with no symbol of its alphabet right before or after it.</summary>
    static bool ContainsWhole(string text, string secret, string alphabet)
    {
        for (int at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + 1, StringComparison.Ordinal))
        {
            int end = at + secret.Length;
            if ((at == 0 || !alphabet.Contains(text[at - 1])) && (end == text.Length || !alphabet.Contains(text[end])))
                return true;
        }
        return false;
    }
}
