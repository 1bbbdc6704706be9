using System.CommandLine;
using MemScan.Scanner.Cli;
using Xunit;

namespace MemScan.Scanner.Tests.Cli;

/// <summary>The README documents every option of the scan commands in the command's own section, shared run options included.</summary>
public class ReadmeOptionsTests
{
    static string Section(string from, string to)
    {
        string text = RepoDocs.Read("README.md");
        int start = text.IndexOf(from, StringComparison.Ordinal), end = text.IndexOf(to, start + 1, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no section from '{from}' to '{to}'");
        return text[start..end];
    }

    static void AssertDocumented(Command command, string section)
    {
        // "`--runs`", "`--manifest PATH`", "`--csr-examples N`, ..." all start with a backquote and the name
        var missing = command.Options.Where(o => !o.Name.StartsWith("-h") && o.Name != "--help" && o.Name != "-?")
            .Select(o => o.Name).Where(name => !section.Contains($"`{name}`") && !section.Contains($"`{name} ")).ToList();
        Assert.True(missing.Count == 0, $"README's {command.Name} section lacks {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_option_of_memscan_scan_is_in_its_readme_sections() =>
        AssertDocumented(ScanCommand.Create(), Section("### `memscan scan MODEL.onnx`", "### `memscan-train lm`"));

    [Fact]
    public void Every_option_of_memscan_vision_is_in_its_readme_section() =>
        AssertDocumented(VisionCommand.Create(), Section("### `memscan vision MODEL.onnx`", "### What the vision tests show"));
}
