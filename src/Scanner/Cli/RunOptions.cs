using System.CommandLine;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Cli;

/// <summary>What the shared run options of a scan command were set to.</summary>
public sealed record RunChoices(string RunsRoot, string? RunId, bool Resume, Device Device, int Threads, Severity? FailOn);

/// <summary>
/// The options every scan command (<c>scan</c>, <c>vision</c>) has: where the run folder goes and
/// what it is called, resuming it, where the model runs, and when to fail. Declared once so that
/// their names, defaults and help texts cannot drift apart between the commands; each command
/// makes its own instance (an option belongs to one command).
/// </summary>
public sealed class RunOptions
{
    public Option<DirectoryInfo> Runs { get; } = new("--runs") { Description = "folder that receives the run folder", DefaultValueFactory = _ => new DirectoryInfo("runs") };
    public Option<string?> RunId { get; } = new("--run-id") { Description = "name of the run folder (default: time + model name)" };
    public Option<bool> Resume { get; } = new("--resume") { Description = "continue the unfinished run --run-id (same model and settings): completed probes are read back, the others run" };
    public Option<string> Device { get; } = DeviceOption.Create();
    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads (0 = all cores)", DefaultValueFactory = _ => 0 };
    public Option<string?> FailOn { get; } = new("--fail-on") { Description = "exit 1 when a finding reaches this severity (info, low, medium, high, critical)" };

    public IReadOnlyList<Option> All => [Runs, RunId, Resume, Device, Threads, FailOn];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public RunChoices Read(ParseResult parsed) => new(
        parsed.GetValue(Runs)!.FullName,
        parsed.GetValue(RunId),
        parsed.GetValue(Resume),
        DeviceOption.Read(parsed, Device),
        parsed.GetValue(Threads),
        parsed.GetValue(FailOn) is { } f ? SeverityNames.Parse(f) : null);
}
