namespace MemScan.Scanner.Metrics;

/// <summary>A point estimate with a two-sided interval [Low, High] at <see cref="Confidence"/>.</summary>
public readonly record struct ConfidenceInterval(double Estimate, double Low, double High, double Confidence);
