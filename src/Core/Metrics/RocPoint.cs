namespace MemScan.Scanner.Metrics;

/// <summary>
/// One operating point of a membership attack: predicting "member" for every score ≥
/// <see cref="Threshold"/> gives this false positive rate (non-members flagged / non-members) and
/// true positive rate (members flagged / members). The first point of a curve has threshold +∞.
/// </summary>
public readonly record struct RocPoint(double Fpr, double Tpr, double Threshold);
