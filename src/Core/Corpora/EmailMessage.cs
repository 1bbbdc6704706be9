namespace MemScan.Scanner.Corpora;

/// <summary>
/// One RFC-822 message as stored in the corpus: the raw text (headers, blank line, body; MIME parts
/// are not decoded), its file name and its group (the folder, e.g. <c>easy-ham-1</c>, <c>spam-2</c>).
/// </summary>
public sealed class EmailMessage
{
    private readonly int _bodyStart;
    private readonly int _headerLength;

    private EmailMessage(string id, string group, string relativePath, string text)
    {
        Id = id;
        Group = group;
        RelativePath = relativePath;
        Text = text;
        (_headerLength, _bodyStart) = FindBlankLine(text);
    }

    /// <summary>A message from its raw text; <paramref name="relativePath"/> gives its id and group.</summary>
    public static EmailMessage Create(string relativePath, string text)
    {
        var normalized = relativePath.Replace('\\', '/');
        var slash = normalized.LastIndexOf('/');
        var group = slash < 0 ? "" : normalized[..slash];
        var id = Path.GetFileNameWithoutExtension(normalized);
        return new EmailMessage(id, group, normalized, text);
    }

    /// <summary>File name without extension; in SpamAssassin <c>NNNNN.&lt;md5 of the file&gt;</c>.</summary>
    public string Id { get; }

    /// <summary>Folder inside the corpus: <c>easy-ham-1</c>, <c>easy-ham-2</c>, <c>hard-ham-1</c>, <c>spam-1</c>, <c>spam-2</c>.</summary>
    public string Group { get; }

    public string RelativePath { get; }

    /// <summary>The whole message as stored, mbox <c>From </c> line and headers included.</summary>
    public string Text { get; }

    public bool IsSpam => Group.StartsWith("spam", StringComparison.OrdinalIgnoreCase);

    /// <summary>Everything before the first blank line (the mbox <c>From </c> line counts as a header).</summary>
    public string Headers => Text[.._headerLength];

    /// <summary>Everything after the first blank line; empty when the message has no blank line.</summary>
    public string Body => Text[_bodyStart..];

    /// <summary>Value of the first header named <paramref name="name"/> (folded lines joined), or null.</summary>
    public string? Header(string name)
    {
        string? value = null;
        foreach (var line in Headers.Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (value is not null)
            {
                if (l.Length > 0 && (l[0] == ' ' || l[0] == '\t')) { value += " " + l.Trim(); continue; }
                return value;
            }
            if (l.Length > name.Length && l[name.Length] == ':' && l.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                value = l[(name.Length + 1)..].Trim();
        }
        return value;
    }

    public override string ToString() => RelativePath;

    /// <summary>(length of the header block, start of the body) split at the first empty or CR-only line.</summary>
    private static (int HeaderLength, int BodyStart) FindBlankLine(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) break;
            var length = end - start;
            if (length == 0 || (length == 1 && text[start] == '\r'))
                return (start, end + 1);
            start = end + 1;
        }
        return (text.Length, text.Length);
    }
}
