namespace MemScan.Scanner.Cli;

/// <summary>Masks recovered secrets for console output and logs (--redact): found secrets are sensitive.</summary>
public static class Redaction
{
    /// <summary>Keeps the first character for recognisability, masks the rest: "123456" → "1*****".</summary>
    public static string Mask(string secret) =>
        secret.Length <= 1 ? new string('*', secret.Length) : secret[0] + new string('*', secret.Length - 1);
}
