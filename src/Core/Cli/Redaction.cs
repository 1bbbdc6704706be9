namespace MemScan.Scanner.Cli;

/// <summary>Masks recovered secrets for console output and logs (--redact): found secrets are sensitive.</summary>
public static class Redaction
{
    /// <summary>Keeps the first character for recognisability, masks the rest: "123456" → "1*****".</summary>
    public static string Mask(string secret) =>
        secret.Length <= 1 ? new string('*', secret.Length) : secret[0] + new string('*', secret.Length - 1);

    /// <summary>
    /// Masks <paramref name="secret"/> wherever it appears in <paramref name="text"/> (a finding's
    /// evidence quotes what was extracted): verbatim, with newlines written as a backslash and n,
    /// and as an excerpt cut short with "…" (the evidence shortens long texts that way).
    /// </summary>
    public static string MaskIn(string text, string? secret) => MaskIn(text, secret, Mask);

    /// <summary>What stands for a fully masked secret: neither its first character nor its length shows.</summary>
    public const string Hidden = "••••••";

    /// <summary>
    /// Like <see cref="MaskIn(string, string?)"/>, but every occurrence becomes <see cref="Hidden"/>:
    /// for screens that can be shoulder-surfed or shared, where even the first character and the
    /// length narrow a PIN down.
    /// </summary>
    public static string HideIn(string text, string? secret) => MaskIn(text, secret, _ => Hidden);

    private static string MaskIn(string text, string? secret, Func<string, string> mask)
    {
        if (string.IsNullOrEmpty(secret) || text.Length == 0) return text;
        foreach (string form in new[] { secret, secret.Replace("\n", "\\n") }.Distinct())
        {
            text = text.Replace(form, mask(form), StringComparison.Ordinal);
            // an excerpt: a prefix of at least 8 characters directly followed by the ellipsis
            for (int length = form.Length - 1; length >= Math.Min(8, form.Length); length--)
                text = text.Replace(form[..length] + "…", mask(form[..length]) + "…", StringComparison.Ordinal);
        }
        return text;
    }
}
