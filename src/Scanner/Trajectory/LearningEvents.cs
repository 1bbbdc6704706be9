namespace MemScan.Scanner.Trajectory;

/// <summary>
/// Per-example learning and forgetting from correctness over snapshots. The learning time is the
/// first snapshot from which the example stays correct to the end (Arpit et al. 2017's "learned");
/// a forgetting event is a correct → incorrect transition between consecutive snapshots
/// (Toneva et al. 2019, counted at snapshot rather than minibatch resolution).
/// </summary>
public static class LearningEvents
{
    /// <param name="steps">snapshot steps, ascending</param>
    /// <param name="correct">correctness at each of <paramref name="steps"/></param>
    /// <returns>the learning step (null when the example is wrong at the last snapshot) and the number of forgetting events</returns>
    public static (long? LearnedAt, int Forgotten) Of(IReadOnlyList<long> steps, IReadOnlyList<bool> correct)
    {
        if (steps.Count != correct.Count) throw new ArgumentException($"{steps.Count} steps but {correct.Count} correctness values");
        int forgotten = 0;
        for (int i = 1; i < correct.Count; i++)
            if (correct[i - 1] && !correct[i]) forgotten++;
        int first = correct.Count;
        while (first > 0 && correct[first - 1]) first--;
        return (first < correct.Count ? steps[first] : null, forgotten);
    }
}
