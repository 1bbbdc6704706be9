namespace MemScan.Scanner.Metrics;

/// <summary>Checks shared by every metric over (score, is-member) pairs.</summary>
public static class LabeledScores
{
    /// <summary>Throws unless the lists line up, every score is a number and both classes occur.</summary>
    public static (int Members, int NonMembers) Check(IReadOnlyList<double> scores, IReadOnlyList<bool> isMember)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isMember);
        if (scores.Count != isMember.Count)
            throw new MemScanException($"got {scores.Count} scores but {isMember.Count} membership labels; they must pair up");
        int members = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            if (double.IsNaN(scores[i])) throw new MemScanException($"score {i} of {scores.Count} is NaN");
            if (isMember[i]) members++;
        }
        int nonMembers = scores.Count - members;
        if (members == 0 || nonMembers == 0)
            throw new MemScanException(
                $"membership metrics need both members and non-members, got {members} members and {nonMembers} non-members");
        return (members, nonMembers);
    }
}
