using System.Diagnostics;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// How memscan starts another memscan (a model host, a supervised scan): the same memscan.dll
/// through the same dotnet host; memscan started as its own apphost (the self-contained published
/// build of build/publish.sh, where no dotnet exists) runs itself.
/// </summary>
internal static class SelfProcess
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        string assembly = typeof(SelfProcess).Assembly.Location;
        string? host = Environment.ProcessPath;
        bool apphost = host is not null && Path.GetFullPath(host) == Path.ChangeExtension(Path.GetFullPath(assembly), null);
        var start = apphost ? new ProcessStartInfo(host!)
            : host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet"
                ? new ProcessStartInfo(host) { ArgumentList = { assembly } }
                : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.UseShellExecute = false;
        return start;
    }
}
