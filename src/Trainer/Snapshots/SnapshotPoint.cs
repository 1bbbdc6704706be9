using MemScan.Trainer.Privacy;

namespace MemScan.Trainer.Snapshots;

/// <summary>
/// Where a snapshot is taken: after <see cref="Step"/> units with training loss <see cref="TrainLoss"/>,
/// and for a DP-SGD run the guarantee spent so far — the run's plan (σ, q, C, δ) with ε from the
/// RDP accountant at this step count, not at the run's last step: a snapshot of step 100 of 1,000
/// has been through 100 noisy steps and nothing more.
/// </summary>
public sealed record SnapshotPoint(long Step, double TrainLoss, DpPlan? Privacy)
{
    /// <summary>The point after <paramref name="step"/> optimizer steps of a run planned as <paramref name="plan"/> (null: not DP-SGD).</summary>
    public static SnapshotPoint At(long step, double trainLoss, DpPlan? plan) =>
        new(step, trainLoss, plan is null ? null : SpentThrough(plan, step));

    /// <summary><paramref name="plan"/> cut at <paramref name="steps"/> steps: same σ, q, C, δ and conversion, ε of those steps only.</summary>
    public static DpPlan SpentThrough(DpPlan plan, long steps) => plan with
    {
        Steps = steps,
        Spent = RdpAccountant.Epsilon(plan.SamplingRate, plan.NoiseMultiplier, steps, plan.Spent.Delta, plan.Spent.Conversion),
    };
}
