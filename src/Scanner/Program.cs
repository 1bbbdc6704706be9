using System.CommandLine;
using MemScan.Scanner.Cli;

// Each subcommand lives in Cli/<Name>Command.cs and is registered here.
var root = new RootCommand("memscan: finds memorized training data in ONNX models (exposure, extraction, membership inference, sweeps)")
{
    ScanCommand.Create(),
    ReportCommand.Create(),
    HostModelCommand.Create(),
    VisionCommand.Create(),
    SweepCommand.Create(),
    InspectCommand.Create(),
    TrajectoryCommand.Create(),
    CompareCommand.Create(),
};
return CliRunner.Run(root, args, "memscan");
