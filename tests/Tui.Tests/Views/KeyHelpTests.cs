using MemScan.Tui.Views;
using Xunit;

namespace MemScan.Tui.Tests.Views;

/// <summary>The README's key table and the screen's key help come from one list and must agree.</summary>
public class KeyHelpTests
{
    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && Directory.Exists(Path.Combine(dir.FullName, "src", "Tui")))
                return File.ReadAllText(path);
        }
        throw new FileNotFoundException("README.md above the test binaries");
    }

    [Fact]
    public void The_readme_key_table_lists_every_key_as_the_help_overlay_does()
    {
        string readme = Readme();
        foreach (KeyHelp.Entry entry in KeyHelp.Entries)
            Assert.Contains($"| `{entry.Keys}` | {entry.Description} |", readme);
    }

    [Fact]
    public void The_key_line_puts_quit_and_help_first_and_every_short_form_in_it()
    {
        Assert.StartsWith("q quit  ? help", KeyHelp.Line);
        foreach (KeyHelp.Entry entry in KeyHelp.Entries.Where(e => e.Short is not null))
            Assert.Contains(entry.Short!, KeyHelp.Line);
    }
}
