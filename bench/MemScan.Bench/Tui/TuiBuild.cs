using System.Reflection;
using System.Runtime.Loader;

namespace MemScan.Bench.Tui;

/// <summary>
/// One build of memscan-tui to time: this tree's (referenced by the bench) or an earlier commit's,
/// built by bench/build-tui-before.sh and loaded into its own load context. Terminal.Gui and the
/// Scanner come from the bench, so both builds run on the same libraries and only the TUI differs.
/// MainWindow is internal: it is reached by reflection, the same way for both builds.
/// </summary>
public sealed class TuiBuild
{
    private TuiBuild(string name, Assembly assembly)
    {
        Name = name;
        MainWindow = assembly.GetType("MemScan.Tui.Views.MainWindow", throwOnError: true)!;
    }

    public string Name { get; }
    public Type MainWindow { get; }

    public static TuiBuild Current() => new("now", Assembly.Load("memscan-tui"));

    public static TuiBuild Load(string name, string dllPath)
    {
        var context = new TuiOnlyLoadContext(Path.GetFullPath(dllPath));
        return new TuiBuild(name, context.LoadFromAssemblyPath(Path.GetFullPath(dllPath)));
    }

    /// <summary>Loads memscan-tui from the given file and everything else from the bench's context.</summary>
    private sealed class TuiOnlyLoadContext(string tuiPath) : AssemblyLoadContext(Path.GetFileName(tuiPath), isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "memscan-tui" ? LoadFromAssemblyPath(tuiPath) : null;
    }
}
