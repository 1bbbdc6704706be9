namespace MemScan.Scanner.Metrics;

/// <summary>
/// The outcome of a one-run audit (<see cref="OneRunAudit"/>): of <see cref="Canaries"/> canaries
/// the auditor guessed on <see cref="Guesses"/> and got <see cref="Correct"/> right, which rules out
/// (ε', δ)-DP for ε' &lt; <see cref="Epsilon"/> with confidence 1 - <see cref="Beta"/>.
/// <see cref="Ceiling"/> is the best bound the same number of guesses could give (all correct).
/// </summary>
public sealed record OneRunAuditResult(
    int Canaries,
    int Guesses,
    int Correct,
    double Epsilon,
    double Ceiling,
    double Beta,
    double Delta);
