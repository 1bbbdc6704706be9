using System.Security.Cryptography;
using System.Text;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;

namespace MemScan.Scanner.Sweeps;

/// <summary>The training text a merge confirms samples against, and where it came from (for the report).</summary>
public sealed record TrainingText(IReadOnlyList<string> Documents, string Description)
{
    /// <summary>
    /// The first source that applies: <c>--corpus</c> files; every file under <c>--corpus-dir</c>;
    /// the training text named by the manifest, rebuilt from the fetched corpus exactly as the
    /// Trainer cut it and accepted only when its SHA-256 equals the manifest's; the manifest's
    /// member samples (a few hundred training lines: confirms less). Null when none applies.
    /// </summary>
    public static TrainingText? Load(IReadOnlyList<string> files, string? directory, ModelManifest? manifest, string? manifestPath, Action<string> log)
    {
        if (files.Count > 0)
        {
            var bytes = files.Select(f => InputFile.ReadAllBytes(f, "corpus file", CorpusText.MaxFileBytes)).ToList();
            return new TrainingText(bytes.Select(b => CorpusText.Decode(b)).ToList(),
                $"{files.Count} corpus file(s), {bytes.Sum(b => (long)b.Length):N0} bytes");
        }
        if (directory is not null)
        {
            if (!Directory.Exists(directory)) throw new MemScanException($"corpus folder {directory} does not exist");
            var all = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
            if (all.Count == 0) throw new MemScanException($"corpus folder {directory} holds no files");
            return new TrainingText(all.Select(f => CorpusText.Decode(InputFile.ReadAllBytes(f, "corpus file", CorpusText.MaxFileBytes))).ToList(),
                $"{all.Count:N0} files under {directory}");
        }
        if (manifest is null) return null;
        if (Rebuild(manifest.Training, log) is { } rebuilt) return rebuilt;
        if (manifest.Samples?.Members is { } members && manifestPath is not null)
        {
            var lines = SampleFile.Read(ModelManifest.ResolveFile(manifestPath, members, "member samples"), "member samples");
            return new TrainingText(lines, $"{lines.Count:N0} member samples from the manifest (not the whole training text)");
        }
        return null;
    }

    /// <summary>The Trainer's cut of a named corpus: its first whole lines up to the recorded length.</summary>
    static TrainingText? Rebuild(TrainingRecord training, Action<string> log)
    {
        if (training.CorpusChars <= 0 || training.CorpusChars > int.MaxValue || training.CorpusSha256 is null) return null;
        IEnumerable<string> lines;
        try
        {
            lines = training.Corpus switch
            {
                // the Trainer trains on whole messages, headers included
                CorpusPaths.SpamAssassin => EmailCorpus.LoadDefault().Lines(includeHeaders: true),
                CorpusPaths.MobyDick => ProseCorpus.LoadMobyDick().Lines(),
                CorpusPaths.StateOfTheUnion => ProseCorpus.LoadStateOfTheUnion().Lines(),
                _ => [],
            };
        }
        catch (MemScanException e)
        {
            log($"training corpus '{training.Corpus}' is not available ({e.Message}); run corpora/fetch.sh {training.Corpus} to confirm against all of it");
            return null;
        }
        string text = CorpusText.Take(lines, (int)training.CorpusChars);
        if (text.Length == 0) return null;
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        if (sha != training.CorpusSha256)
        {
            log($"training corpus '{training.Corpus}' rebuilt to {text.Length:N0} chars with SHA-256 {sha[..12]}…, the manifest says {training.CorpusSha256[..Math.Min(12, training.CorpusSha256.Length)]}…: not the text the model saw, not used");
            return null;
        }
        return new TrainingText([text], $"training text of '{training.Corpus}' ({text.Length:N0} chars, SHA-256 matches the manifest)");
    }
}
