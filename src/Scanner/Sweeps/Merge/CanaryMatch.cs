using MemScan.Scanner.Canaries;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Finds a manifest canary's secret in a generated sample. The secret must come with the end of
/// its template's prefix (up to <see cref="ContextChars"/> chars, e.g. "room is 303369"): a
/// six-digit secret alone turns up by chance in enough random digits, in its context it does not.
/// Canaries without a known secret, and the controls inserted 0 times, are matched too: a control
/// that comes out would mean the check itself is broken.
/// </summary>
public sealed class CanaryMatch
{
    public const int ContextChars = 12;
    readonly (Canary Canary, string Needle)[] _needles;

    public CanaryMatch(IEnumerable<Canary> canaries)
    {
        _needles = canaries.Where(c => c.HasSecret)
            .Select(c => (c, c.Prefix[Math.Max(0, c.Prefix.Length - ContextChars)..] + c.Secret))
            .ToArray();
    }

    public int Count => _needles.Length;

    /// <summary>The first canary (in manifest order) whose secret, in context, occurs in <paramref name="text"/>.</summary>
    public (Canary Canary, string Matched)? Find(string text)
    {
        foreach (var (canary, needle) in _needles)
            if (text.Contains(needle, StringComparison.Ordinal))
                return (canary, needle);
        return null;
    }
}
