using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>One entry of tokenizer.json <c>added_tokens</c>.</summary>
internal sealed record AddedToken(int Id, string Content, bool Special, bool LeftStrip, bool RightStrip);

/// <summary>
/// Splits text at the added tokens (<c>&lt;|begin_of_text|&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;tool_call&gt;</c>, ...), leftmost and
/// longest first, before any normalization, as the reference does; lstrip/rstrip tokens swallow the
/// whitespace beside them. Special and non-special added tokens are both matched.
/// </summary>
internal sealed class AddedTokens
{
    sealed class Node
    {
        public Dictionary<char, Node>? Next;
        public AddedToken? Token;
    }

    readonly Node _root = new();

    AddedTokens(IReadOnlyList<AddedToken> tokens)
    {
        All = tokens;
        foreach (var t in tokens)
        {
            var node = _root;
            foreach (char c in t.Content)
            {
                node.Next ??= [];
                if (!node.Next.TryGetValue(c, out var child)) node.Next[c] = child = new Node();
                node = child;
            }
            node.Token = t;
        }
    }

    public IReadOnlyList<AddedToken> All { get; }

    public static AddedTokens Read(JsonElement? config, string where)
    {
        var tokens = new List<AddedToken>();
        if (!JsonFields.IsAbsent(config))
        {
            if (config!.Value.ValueKind != JsonValueKind.Array) throw new FormatException($"{where} must be an array");
            int i = 0;
            foreach (var e in config.Value.EnumerateArray())
            {
                var at = $"{where}[{i++}]";
                var content = JsonFields.String(e, "content", at);
                if (content.Length == 0) throw new FormatException($"{at}.content is empty");
                int id = JsonFields.Int(e, "id", at);
                if (id > ModelVocabulary.MaxId) throw new FormatException($"{at}.id {id} is above {ModelVocabulary.MaxId}");
                tokens.Add(new AddedToken(id, content, JsonFields.Bool(e, "special", at, false),
                    JsonFields.Bool(e, "lstrip", at, false), JsonFields.Bool(e, "rstrip", at, false)));
            }
        }
        return new AddedTokens(tokens);
    }

    /// <summary>The text as stretches: plain text (Token null) and added tokens, in order; empty stretches dropped.</summary>
    public List<(string Text, AddedToken? Token)> Split(string text)
    {
        var parts = new List<(string Text, AddedToken? Token)>();
        int start = 0, i = 0;
        while (i < text.Length)
        {
            AddedToken? match = null;
            var node = _root;
            for (int j = i; j < text.Length && node.Next is not null && node.Next.TryGetValue(text[j], out node); j++)
                if (node.Token is not null) match = node.Token;
            if (match is null) { i++; continue; }
            if (i > start) parts.Add((text[start..i], null));
            parts.Add((match.Content, match));
            i += match.Content.Length;
            start = i;
        }
        if (start < text.Length) parts.Add((text[start..], null));

        for (int k = 0; k < parts.Count; k++)
        {
            if (parts[k].Token is not { } t) continue;
            if (t.LeftStrip && k > 0 && parts[k - 1].Token is null) parts[k - 1] = (parts[k - 1].Text.TrimEnd(), null);
            if (t.RightStrip && k + 1 < parts.Count && parts[k + 1].Token is null) parts[k + 1] = (parts[k + 1].Text.TrimStart(), null);
        }
        parts.RemoveAll(p => p.Text.Length == 0);
        return parts;
    }
}
