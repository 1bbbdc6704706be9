using System.Text;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Manifest;

/// <summary>The bounded samples reader splits lines as <see cref="File.ReadLines(string)"/> does (the reader it replaced).</summary>
public sealed class SampleFileTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    string Write(string name, byte[] content)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData("a\nb\n")]
    [InlineData("a\r\nb")]
    [InlineData("a\rb\r\n\r\n")]
    [InlineData("\n\na\n \n\r\rb")]
    [InlineData("\uFEFFa\nb é\n")]
    [InlineData("")]
    public void Lines_split_as_File_ReadLines_splits_them_without_empty_ones(string text)
    {
        string path = Write("samples.txt", Encoding.UTF8.GetBytes(text));
        Assert.Equal(File.ReadLines(path).Where(l => l.Length > 0), SampleFile.Read(path));
    }

    [Fact]
    public void A_crlf_split_across_two_reads_ends_one_line_and_the_next_line_is_numbered_right()
    {
        // the reader takes 65,536 characters at a time: the \r is the last of the first read, the \n the first of the second
        string first = new('a', 65535);
        string path = Write("split.txt", Encoding.UTF8.GetBytes(first + "\r\n" + new string('b', SampleFile.MaxLineChars + 1)));
        var e = Assert.Throws<MemScanException>(() => SampleFile.Read(path));
        Assert.Equal($"samples file {path}: line 2 is longer than 1,048,576 characters, the limit of one sample", e.Message);

        File.WriteAllText(path, first + "\r\n" + "b");
        Assert.Equal([first, "b"], SampleFile.Read(path));
    }

    [Fact]
    public void A_line_of_exactly_the_limit_is_a_sample()
    {
        string line = new('x', SampleFile.MaxLineChars);
        Assert.Equal([line], SampleFile.Read(Write("long.txt", Encoding.UTF8.GetBytes(line + "\n"))));
    }

    [Fact]
    public void A_missing_file_or_a_folder_is_named()
    {
        Assert.Equal($"members file {_dir.File("nope.txt")} does not exist",
            Assert.Throws<MemScanException>(() => SampleFile.Read(_dir.File("nope.txt"), "members file")).Message);
        Assert.Equal($"samples file {_dir.Path} is a directory, not a file",
            Assert.Throws<MemScanException>(() => SampleFile.Read(_dir.Path)).Message);
    }
}
