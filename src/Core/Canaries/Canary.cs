namespace MemScan.Scanner.Canaries;

/// <summary>
/// A canary: a template such as "my PIN is {secret}" whose secret was drawn from
/// <see cref="Space"/> and inserted <see cref="Insertions"/> times into the training data.
/// Canaries inserted 0 times are controls: their exposure shows what chance looks like.
/// </summary>
public sealed record Canary(string Id, string Template, string Secret, RandomnessSpace Space, int Insertions)
{
    public const string Placeholder = "{secret}";

    /// <summary>The text before the secret; the model is conditioned on it.</summary>
    public string Prefix => Template[..Template.IndexOf(Placeholder, StringComparison.Ordinal)];

    /// <summary>The text after the secret (inserted in training, not scored).</summary>
    public string Suffix => Template[(Template.IndexOf(Placeholder, StringComparison.Ordinal) + Placeholder.Length)..];

    public string Text => Prefix + Secret + Suffix;

    /// <summary>False for a third-party template whose secret is unknown (extraction only).</summary>
    public bool HasSecret => Secret.Length > 0;

    public static void Validate(string template, string secret, RandomnessSpace space, string id)
    {
        int at = template.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0 || template.IndexOf(Placeholder, at + 1, StringComparison.Ordinal) >= 0)
            throw new MemScanException($"canary '{id}': template must contain {Placeholder} exactly once, got '{template}'");
        if (secret.Length > 0 && !space.Contains(secret))
            // the secret itself stays out of the message: errors end up in CI logs, with or without --redact
            throw new MemScanException($"canary '{id}': its secret ({secret.Length} characters) is not in the randomness space {space}");
    }

    /// <summary>A template to probe in someone else's model: insertion count unknown (-1), secret optional.</summary>
    public static Canary ThirdParty(string id, string template, string secret, RandomnessSpace space)
    {
        Validate(template, secret, space, id);
        return new Canary(id, template, secret, space, UnknownInsertions);
    }

    public const int UnknownInsertions = -1;

    public static Canary Create(string id, string template, string secret, RandomnessSpace space, int insertions)
    {
        Validate(template, secret, space, id);
        if (insertions < 0) throw new MemScanException($"canary '{id}': insertions must be >= 0, got {insertions}");
        return new Canary(id, template, secret, space, insertions);
    }
}
