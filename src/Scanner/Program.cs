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
// Before anything large is allocated: the weight copies ONNX Runtime frees while it loads a model
// go back to the system (NativeHeap says why). Only here: memscan-train's TorchSharp steps run
// 7-20 % slower with glibc's threshold fixed, and the triage UI loads no model.
MemScan.Scanner.Onnx.NativeHeap.ReturnLargeFreedBlocks();
return CliRunner.Run(root, args, "memscan");
