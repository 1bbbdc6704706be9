using MemScan.Scanner.Results;

namespace MemScan.Scanner.Trajectory;

/// <summary>
/// What an example of a classifier's examples.parquet is, for the trajectory (Arpit et al.'s real
/// vs noise): trained pool images with their true label (<see cref="Real"/>) or a random one
/// (<see cref="RandomLabel"/>, random-labels mode; one that drew its true class counts as real),
/// trained canaries (<see cref="Mislabeled"/>, <see cref="Noise"/>), held-out pool images
/// (<see cref="HeldOut"/>) and canaries left out (<see cref="HeldOutCanary"/>).
/// </summary>
public static class ExampleGroups
{
    public const string Real = "real", RandomLabel = "random-label", Mislabeled = "mislabeled", Noise = "noise",
        HeldOut = "held-out", HeldOutCanary = "held-out-canary";

    /// <summary>Trained examples whose label is not the image's own: what the network can only memorize.</summary>
    public static readonly string[] Memorized = [RandomLabel, Mislabeled, Noise];

    public static string Of(ExampleRow row) => row.Role switch
    {
        ExampleRow.Member => row.TrueLabel is { } truth && truth != row.Label ? RandomLabel : Real,
        ExampleRow.NonMember => HeldOut,
        _ when !row.Included => HeldOutCanary,
        _ => row.CanaryKind == ExampleRow.Noise ? Noise : Mislabeled,
    };

    public static bool Trained(ExampleRow row) => row.Role == ExampleRow.Member || (row.Role == ExampleRow.Canary && row.Included);
}
