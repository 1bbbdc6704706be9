using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.References;

/// <summary>
/// One model of a language-model family as the trainer must train it: its name and role, its
/// folder, its seed, its training text (documents it holds, canaries inserted) and the canaries it
/// was trained with (insertions 0 for those it was not). <see cref="Tables"/> says whether the run
/// wrote units.parquet and membership.parquet, which its manifest then points at.
/// </summary>
public sealed record LmFamilyMember(string Name, string Role, string Directory, int Seed, string Text, IReadOnlyList<Canary> Canaries,
    bool Tables, string FamilyDirectory)
{
    /// <summary>The training record's membership fields (role, model name, table paths relative to the manifest); unchanged without tables.</summary>
    public TrainingRecord Describe(TrainingRecord record)
    {
        if (!Tables) return record;
        string up = Path.GetRelativePath(Directory, FamilyDirectory);
        string Beside(string file) => up == "." ? file : Path.Combine(up, file);
        return record with
        {
            Role = Role,
            MembershipModel = Name,
            MembershipFile = Beside(MembershipRow.FileName),
            UnitsFile = Beside(TrainingUnitRow.FileName),
        };
    }
}

/// <summary>
/// The target-and-references design shared by the language-model trainers (char-LSTM and GPT).
/// Without references or a hold-out, one target trains on the whole corpus with every canary.
/// Otherwise the corpus is cut into units (<see cref="LmUnits"/>: its lines, and each canary), the
/// target trains on each line with probability 1 − hold-out and on every canary, <c>ref-00</c> …
/// each take a balanced random half of all units (<see cref="MembershipPlan.Halves"/>), and
/// <c>ref-clean</c> has the target's lines without canaries. Writes <c>units.parquet</c> and
/// <c>membership.parquet</c> beside the target. Everything follows from the seed; the architecture
/// is the caller's, through <c>train</c>.
/// </summary>
public static class LmFamily
{
    public sealed record Result<T>(T Target, IReadOnlyList<T> References, string? MembershipPath, string? UnitsPath);

    public static Result<T> Train<T>(string corpusText, IReadOnlyList<Canary> canaries, int references, double holdoutFraction, int seed,
        string outDir, TextWriter log, Func<LmFamilyMember, T> train)
    {
        if (references == 0 && holdoutFraction == 0)
            return new Result<T>(train(new LmFamilyMember(MembershipRow.Target, "target", outDir, seed,
                CanaryPlan.Insert(corpusText, canaries, seed), canaries, Tables: false, outDir)), [], null, null);

        var documents = LmUnits.Documents(corpusText);
        var units = documents.Concat(canaries.Select(LmUnits.Of)).ToList();
        var membership = new List<MembershipRow>();
        void Record(string model, Func<int, bool> documentIn, IReadOnlyList<Canary> trained)
        {
            for (int d = 0; d < documents.Count; d++)
                membership.Add(new MembershipRow { Model = model, UnitId = documents[d].Id, UnitKind = MembershipRow.Document, IsMember = documentIn(d) });
            foreach (var c in trained)
                membership.Add(new MembershipRow { Model = model, UnitId = c.Id, UnitKind = MembershipRow.Canary, IsMember = c.Insertions > 0 });
        }

        var targetIn = MembershipPlan.Bernoulli(documents.Count, 1 - holdoutFraction, StepSeed.For(seed, 0, salt: 0x4e1d));
        string TextOf(Func<int, bool> documentIn, IReadOnlyList<Canary> included, int textSeed) =>
            CanaryPlan.Insert(LmUnits.Join(documents.Where((_, d) => documentIn(d))), included, textSeed);
        log.WriteLine($"target: {targetIn.Count(m => m):N0} of {documents.Count:N0} documents, {references} reference model(s) + ref-clean");
        var target = train(new LmFamilyMember(MembershipRow.Target, "target", outDir, seed, TextOf(d => targetIn[d], canaries, seed),
            canaries, Tables: true, outDir));
        Record(MembershipRow.Target, d => targetIn[d], canaries);

        var halves = MembershipPlan.Halves(units.Count, references, StepSeed.For(seed, 0, salt: 0x7a1f));
        var trainedReferences = new List<T>();
        for (int r = 0; r <= references; r++)
        {
            bool clean = r == references;
            string name = clean ? MembershipRow.CleanReference : MembershipRow.ReferenceName(r);
            // A different seed per reference: LiRA wants independent initializations and batches.
            int refSeed = StepSeed.For(seed, r + 1, salt: 0x2ef);
            Func<int, bool> documentIn = clean ? d => targetIn[d] : d => halves[r][d];
            var trained = canaries.Select((c, i) => clean || !halves[r][documents.Count + i] ? c with { Insertions = 0 } : c).ToList();
            log.WriteLine($"{name}: {Enumerable.Range(0, documents.Count).Count(documentIn):N0} documents, canaries {string.Join(", ", trained.Select(c => $"{c.Id}×{c.Insertions}"))}");
            trainedReferences.Add(train(new LmFamilyMember(name, clean ? "clean-reference" : "reference", Path.Combine(outDir, name), refSeed,
                TextOf(documentIn, trained, refSeed), trained, Tables: true, outDir)));
            Record(name, documentIn, trained);
        }

        string unitsPath = Path.Combine(outDir, TrainingUnitRow.FileName);
        string membershipPath = Path.Combine(outDir, MembershipRow.FileName);
        ParquetTable<TrainingUnitRow>.WriteAsync(unitsPath, units.Select(u => new TrainingUnitRow { UnitId = u.Id, UnitKind = u.Kind, Text = u.Text }))
            .GetAwaiter().GetResult();
        ParquetTable<MembershipRow>.WriteAsync(membershipPath, membership).GetAwaiter().GetResult();
        log.WriteLine($"wrote {unitsPath} ({units.Count:N0} units) and {membershipPath} ({membership.Count:N0} rows)");
        return new Result<T>(target, trainedReferences, membershipPath, unitsPath);
    }
}
