namespace MemScan.Trainer.Privacy;

/// <summary>An (ε, δ) guarantee read off an RDP curve, with the order α that gave the smallest ε.</summary>
public sealed record PrivacySpent(double Epsilon, double Delta, double Order, EpsilonConversion Conversion)
{
    /// <summary>How ε was computed, as manifests record it: "rdp-sampled-gaussian/improved-conversion (order 12)".</summary>
    public string Describe() => $"rdp-sampled-gaussian/{Conversion.ToString().ToLowerInvariant()}-conversion (order {Order:G4})";
}
