namespace MemScan.Trainer.Privacy;

/// <summary>An (ε, δ) guarantee read off an RDP curve, with the order α that gave the smallest ε.</summary>
public sealed record PrivacySpent(double Epsilon, double Delta, double Order, EpsilonConversion Conversion);
