using MemScan.Scanner.Probes;
using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

public sealed class ProbeLoopTests
{
    /// <summary>A probe whose inputs say whether it can run, and whether to tell the user when not.</summary>
    sealed class Gated(string name, ProbeSkip? skip) : ScanProbe<int>
    {
        public override string Name => name;
        public override IReadOnlyList<string> Tables => [];
        public override IReadOnlyDictionary<string, string> Settings(int context) => new Dictionary<string, string>();
        public override ProbeSkip? CannotRun(int context) => skip;
        public override ProbeOutcome Run(int context, RunFolder run) => throw new NotSupportedException();
        public override ProbeOutcome ReadBack(int context, CompletedProbes done) => throw new NotSupportedException();
    }

    [Fact]
    public void Applicable_keeps_the_wanted_probes_that_can_run_in_order_and_notes_only_the_reasons_meant_for_the_user()
    {
        var notes = new List<string>();
        var probes = ProbeLoop.Applicable<int>([new Gated("a", null), new Gated("b", new ProbeSkip("no inputs")),
            new Gated("c", new ProbeSkip("c skipped: no canaries on both sides", Noted: true)), new Gated("d", null), new Gated("e", null)],
            name => name != "d", 0, notes);
        Assert.Equal(["a", "e"], probes.Select(p => p.Name));
        Assert.Equal(["c skipped: no canaries on both sides"], notes);
    }
}
