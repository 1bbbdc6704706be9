namespace MemScan.Scanner;

/// <summary>What a path names once every symbolic link is followed.</summary>
public enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    /// <summary>A FIFO or a pipe (<c>&lt;(cmd)</c> hands one over as <c>/dev/fd/N</c>).</summary>
    Pipe,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}

public static class FileKindNames
{
    /// <summary>How a refusal names the kind: "ONNX model X is a pipe, not a regular file".</summary>
    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.RegularFile => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Pipe => "a pipe or FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };
}
