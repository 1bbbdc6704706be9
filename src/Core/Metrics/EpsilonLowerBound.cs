namespace MemScan.Scanner.Metrics;

/// <summary>
/// An empirical lower bound on a model's differential privacy ε from a membership guessing game,
/// holding with confidence 1 - <see cref="Alpha"/>: the training run is not (ε', δ)-DP for any
/// ε' &lt; <see cref="Epsilon"/>. Found at <see cref="Threshold"/> (flag scores ≥ it), where the
/// Clopper–Pearson bounds were <see cref="TprLow"/> and <see cref="FprHigh"/>;
/// <see cref="FromComplement"/> says whether the bound came from the TNR/FNR form.
/// </summary>
public sealed record EpsilonLowerBound(
    double Epsilon,
    double Threshold,
    double TprLow,
    double FprHigh,
    bool FromComplement,
    int ThresholdsTried,
    double Alpha,
    double Delta);
