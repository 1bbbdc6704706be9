using System.CommandLine;
using MemScan.Scanner.Cli;
using MemScan.Trainer.Cli;

var root = new RootCommand("memscan-train: trains canary and reference models on real corpora and exports them to ONNX with a manifest")
{
    LmCommand.Create(),
    GptCommand.Create(),
    CnnCommand.Create(),
};
return CliRunner.Run(root, args, "memscan-train");
