using MemScan.Scanner.Cli;
using MemScan.Tui.Cli;

return CliRunner.Run(TuiCommand.Create(), args, "memscan-tui");
