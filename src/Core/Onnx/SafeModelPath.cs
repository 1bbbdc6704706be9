namespace MemScan.Scanner.Onnx;

/// <summary>
/// Resolves external-data locations the way a hostile file cannot abuse: relative, no <c>..</c>,
/// and inside the model's folder after every symlink along the way is followed.
/// </summary>
public static class SafeModelPath
{
    /// <summary>
    /// The real path of <paramref name="location"/> under <paramref name="modelDir"/>, or an error
    /// sentence saying why it is refused.
    /// </summary>
    public static (string? Path, string? Error) Resolve(string modelDir, string location)
    {
        if (location.Length == 0) return (null, "its location is empty");
        if (location.Contains('\0')) return (null, "its location contains a NUL character");
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.StartsWith('\\'))
            return (null, $"its location '{location}' is an absolute path; external data must sit beside the model");
        var parts = location.Split('/', '\\');
        if (parts.Any(p => p == ".."))
            return (null, $"its location '{location}' climbs out of the model folder with '..' (path traversal)");

        var root = RealPath(modelDir);
        var candidate = Path.GetFullPath(Path.Combine(modelDir, location));
        var real = RealPath(candidate);
        if (!IsUnder(real, root))
            return (null, $"its location '{location}' resolves to {real}, outside the model folder {root} (symlink)");
        return (real, null);
    }

    private static bool IsUnder(string path, string dir)
    {
        var prefix = dir.EndsWith(Path.DirectorySeparatorChar) ? dir : dir + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>Absolute path with every symlink component replaced by its final target.</summary>
    internal static string RealPath(string path, int depth = 0)
    {
        if (depth > 40) throw new MemScanException($"too many levels of symbolic links resolving {path}");
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                var resolved = target?.FullName ?? Path.GetFullPath(Path.Combine(current, info.LinkTarget));
                next = RealPath(resolved, depth + 1);
            }
            current = next;
        }
        return current;
    }
}
