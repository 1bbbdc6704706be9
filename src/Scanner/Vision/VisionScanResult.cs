using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Vision;

/// <summary>What a classifier scan found and where it wrote it; probes that did not run are null.</summary>
public sealed record VisionScanResult(
    RunFolder Run,
    ClassifierProfile Profile,
    bool Foreign,
    int References,
    IReadOnlyList<Finding> Findings,
    MembershipResult? Membership,
    AuditResult? Audit,
    MemorizationResult? Memorization,
    PredictionStatsResult? Predictions,
    IReadOnlyList<string> Notes,
    long Queries,
    double Seconds,
    string Device);
