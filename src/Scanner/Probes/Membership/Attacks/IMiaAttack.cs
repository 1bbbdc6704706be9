namespace MemScan.Scanner.Probes.Membership.Attacks;

/// <summary>
/// One membership-inference attack, as mimir's <c>attacks/</c> and ML Privacy Meter lay them out:
/// a name (the <c>attack</c> column of mia.parquet, roc.parquet, mia_scores.parquet and findings)
/// and a score per sample, <b>higher = likelier member</b>. <see cref="MiaAttackList"/> holds them
/// in the order they run and looks them up by name.
/// </summary>
public interface IMiaAttack
{
    string Name { get; }

    MiaAttackStage Stage { get; }

    /// <param name="signals">the <see cref="MiaAttackStage.Signal"/> attacks' scores (only for <see cref="MiaAttackStage.Combined"/> attacks; empty before)</param>
    MiaAttackOutcome Score(MiaAttackInputs inputs, IReadOnlyDictionary<string, double[]> signals);
}

/// <summary>
/// Signal attacks read the samples' statistics under the target and the references; combined
/// attacks learn from the signal attacks' scores, after those with NaN scores were dropped.
/// </summary>
public enum MiaAttackStage { Signal, Combined }

/// <summary>An attack's scores, or why it did not run: a note the user reads, or nothing when its inputs are simply absent.</summary>
public sealed record MiaAttackOutcome(double[]? Scores, string? SkipNote)
{
    public static MiaAttackOutcome Of(double[] scores) => new(scores, null);
    public static MiaAttackOutcome Skip(string note) => new(null, note);
    /// <summary>Not run and nothing to say: its inputs are absent (no reference, no folds).</summary>
    public static readonly MiaAttackOutcome Absent = new(null, null);
}
