using MemScan.Scanner.Results;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Tests.References;

/// <summary>A target with half its documents held out, four reference models and ref-clean, all tiny.</summary>
public sealed class ReferenceModelsFixture
{
    public string Dir { get; }
    public LmPipeline.Output Target { get; }
    public IReadOnlyList<MembershipRow> Membership { get; }
    public IReadOnlyList<TrainingUnitRow> Units { get; }

    public ReferenceModelsFixture()
    {
        Dir = TinyModels.TempDir("refs");
        var config = TinyModels.Config(steps: 6, hidden: 16) with
        {
            MaxChars = 20_000,
            Threads = 1,
            References = 4,
            HoldoutFraction = 0.5,
            Canaries =
            [
                new CanaryPlan.Request("c16", "the vault code is {secret}\n", "digits:6", 16),
                new CanaryPlan.Request("c4", "my pager number is {secret}\n", "digits:6", 4),
                new CanaryPlan.Request("c0", "my locker code is {secret}\n", "digits:6", 0),
            ],
        };
        Target = LmPipeline.Run(config, Dir, TextWriter.Null);
        Membership = ParquetTable<MembershipRow>.ReadAsync(Target.MembershipPath!).GetAwaiter().GetResult();
        Units = ParquetTable<TrainingUnitRow>.ReadAsync(Target.UnitsPath!).GetAwaiter().GetResult();
    }
}
