using System.CommandLine;
using System.Text.Json;
using MemScan.Scanner.Isolation;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Cli;

/// <summary><c>memscan host-model MODEL</c> (internal): the child process that runs an untrusted model for the scanner.</summary>
public static class HostModelCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model");
        var device = DeviceOption.Create();
        var threads = new Option<int>("--threads");
        var io = new Option<string?>("--io");
        var maxStateBytes = new Option<long?>("--max-state-bytes") { Description = "bound on the model states the host keeps (default: half the memory available)" };
        var memoryBudget = new Option<long?>("--memory-budget") { Description = "the scan's --memory-budget in bytes: bounds held states and each model run's share" };
        var command = new Command("host-model", "internal: serve one model to the scanner over stdin/stdout") { model, device, threads, io, maxStateBytes, memoryBudget };
        command.Hidden = true;
        command.SetAction(parsed =>
        {
            var ioSpec = parsed.GetValue(io) is { } json ? JsonSerializer.Deserialize<LmIoSpec>(json) : null;
            var options = new OnnxSessionOptions
            {
                Device = DeviceOption.Read(parsed, device),
                IntraOpThreads = parsed.GetValue(threads),
            };
            return ModelHostServer.Serve(parsed.GetValue(model)!, ioSpec, options, parsed.GetValue(maxStateBytes), parsed.GetValue(memoryBudget));
        });
        return command;
    }
}
