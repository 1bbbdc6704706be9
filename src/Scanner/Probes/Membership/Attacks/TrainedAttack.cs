using Microsoft.ML;
using Microsoft.ML.Data;

namespace MemScan.Scanner.Probes.Membership.Attacks;

/// <summary>
/// Supervised attacks that learn to combine the other attacks' scores (plus log length) from
/// labeled samples: an L-BFGS logistic regression on standardized features and gradient-boosted
/// trees (ML.NET FastTree). Scores are out-of-fold: the samples are split into k stratified folds
/// and each fold is scored by a model trained on the other k-1, so no sample is ever scored by a
/// model that saw its label. This measures an attacker who holds some labeled members, the usual
/// setting of a trained (meta-)classifier attack. Both variants skip together, with one note.
/// </summary>
public sealed class TrainedAttack : IMiaAttack
{
    public static readonly TrainedAttack Logistic = new(MiaAttacks.TrainedLogistic,
        ml => ml.Transforms.NormalizeMeanVariance(nameof(Row.Features))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(nameof(Row.Label), nameof(Row.Features))));
    public static readonly TrainedAttack Trees = new(MiaAttacks.TrainedTrees,
        ml => ml.BinaryClassification.Trainers.FastTree(nameof(Row.Label), nameof(Row.Features),
            numberOfLeaves: 8, numberOfTrees: 100, minimumExampleCountPerLeaf: 5, learningRate: 0.1));

    readonly Func<MLContext, IEstimator<ITransformer>> _pipeline;

    TrainedAttack(string name, Func<MLContext, IEstimator<ITransformer>> pipeline)
    {
        Name = name;
        _pipeline = pipeline;
    }

    public string Name { get; }
    public MiaAttackStage Stage => MiaAttackStage.Combined;

    sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    /// <summary>Out-of-fold scores learned from the signal attacks' scores (and log length); absent with 0 folds.</summary>
    public MiaAttackOutcome Score(MiaAttackInputs inputs, IReadOnlyDictionary<string, double[]> signals)
    {
        var isMember = inputs.IsMember;
        int folds = inputs.Folds;
        if (folds == 0) return MiaAttackOutcome.Absent;
        int members = isMember.Count(m => m), nonMembers = isMember.Count - members;
        if (folds < 2) throw new MemScanException($"the trained attacks need at least 2 folds, got {folds}");
        if (Math.Min(members, nonMembers) < folds)
            return MiaAttackOutcome.Skip($"trained attacks skipped: {folds} folds need at least {folds} members and non-members, got {members} and {nonMembers}");
        var names = signals.Keys.ToList();
        var features = isMember.Select((_, i) => names.Select(a => signals[a][i]).Append(Math.Log(inputs.Lengths[i])).ToArray()).ToArray();
        Finite(features);
        var fold = Folds(isMember, folds, inputs.Seed);
        return MiaAttackOutcome.Of(OutOfFold(features, isMember, fold, folds, inputs.Seed, _pipeline));
    }

    /// <summary>Fold of each sample: members and non-members each shuffled (seeded) and dealt round-robin.</summary>
    internal static int[] Folds(IReadOnlyList<bool> isMember, int folds, int seed)
    {
        var fold = new int[isMember.Count];
        var random = new Random(seed);
        foreach (bool cls in new[] { true, false })
        {
            var indices = Enumerable.Range(0, isMember.Count).Where(i => isMember[i] == cls).ToArray();
            random.Shuffle(indices);
            for (int k = 0; k < indices.Length; k++) fold[indices[k]] = k % folds;
        }
        return fold;
    }

    static double[] OutOfFold(double[][] features, IReadOnlyList<bool> isMember, int[] fold, int folds, int seed,
        Func<MLContext, IEstimator<ITransformer>> pipeline)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        IEnumerable<Row> Rows(Func<int, bool> take) => Enumerable.Range(0, features.Length).Where(take)
            .Select(i => new Row { Label = isMember[i], Features = features[i].Select(v => (float)v).ToArray() });
        var scores = new double[features.Length];
        for (int k = 0; k < folds; k++)
        {
            var model = pipeline(ml).Fit(ml.Data.LoadFromEnumerable(Rows(i => fold[i] != k).ToList(), schema));
            var held = Enumerable.Range(0, features.Length).Where(i => fold[i] == k).ToArray();
            var predicted = model.Transform(ml.Data.LoadFromEnumerable(Rows(i => fold[i] == k).ToList(), schema));
            // the raw margin: monotone in the probability, without its saturation at 0 and 1
            var raw = predicted.GetColumn<float>("Score").ToArray();
            for (int j = 0; j < held.Length; j++) scores[held[j]] = raw[j];
        }
        return scores;
    }

    /// <summary>±∞ (a saturated attack) becomes the feature's finite extreme ± 1; NaN its finite mean.</summary>
    static void Finite(double[][] features)
    {
        for (int f = 0; f < features[0].Length; f++)
        {
            var finite = features.Select(r => r[f]).Where(double.IsFinite).ToArray();
            double low = finite.Length > 0 ? finite.Min() - 1 : -1, high = finite.Length > 0 ? finite.Max() + 1 : 1;
            double mean = finite.Length > 0 ? finite.Average() : 0;
            foreach (var row in features)
                row[f] = double.IsNaN(row[f]) ? mean : double.IsPositiveInfinity(row[f]) ? high : double.IsNegativeInfinity(row[f]) ? low : row[f];
        }
    }
}
