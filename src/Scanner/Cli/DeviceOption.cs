using System.CommandLine;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Cli;

/// <summary>
/// The <c>--device</c> option, declared once for every command that runs a model (scan, vision,
/// sweep, and the isolated host the scanner starts); its names are <see cref="DeviceNames"/>.
/// </summary>
public static class DeviceOption
{
    /// <summary>A fresh <c>--device</c> option (an option belongs to one command), cpu by default.</summary>
    public static Option<string> Create()
    {
        var option = new Option<string>("--device") { Description = "cpu or cuda (falls back to cpu with a note)", DefaultValueFactory = _ => DeviceNames.Cpu };
        option.AcceptOnlyFromAmong(DeviceNames.Cpu, DeviceNames.Cuda);
        return option;
    }

    public static Device Read(ParseResult parsed, Option<string> option) => DeviceNames.Parse(parsed.GetValue(option));
}
