using MemScan.Scanner.Onnx;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Models;

/// <summary>What a classifier returned for a batch: row-major logits [N, K] and, when asked, embeddings [N, D].</summary>
public sealed record ClassifierOutput(float[] Logits, int Classes, float[]? Embeddings, int EmbeddingSize)
{
    public int Count => Logits.Length / Classes;
    public ReadOnlySpan<float> LogitsOf(int i) => Logits.AsSpan(i * Classes, Classes);
    public ReadOnlySpan<float> EmbeddingOf(int i) => Embeddings is null ? throw new InvalidOperationException("no embeddings were computed") : Embeddings.AsSpan(i * EmbeddingSize, EmbeddingSize);
}

/// <summary>
/// Any ONNX image classifier [N, C, H, W] → [N, K], run by ONNX Runtime: takes pixels in [0, 1]
/// at the profile's geometry, normalizes them per channel, runs in batches and returns logits. A
/// graph ending in a softmax (profile output_kind "probabilities") gives log-probabilities instead,
/// which are logits of the same softmax, so every probe reads both alike.
/// </summary>
public sealed class OnnxClassifier : IDisposable
{
    readonly OnnxSession _session;

    OnnxClassifier(OnnxSession session, ClassifierProfile profile, int classes, int? embeddingSize)
    {
        _session = session;
        Profile = profile;
        Classes = classes;
        EmbeddingSize = embeddingSize;
    }

    public ClassifierProfile Profile { get; }
    public int Classes { get; private set; }
    /// <summary>D of the embedding output, or null when the profile names none.</summary>
    public int? EmbeddingSize { get; private set; }
    public int Channels => Profile.Channels;
    public int Height => Profile.Height;
    public int Width => Profile.Width;
    public int PixelsPerImage => Channels * Height * Width;
    public string ModelPath => _session.ModelPath;
    public string DeviceNote => _session.DeviceNote ?? _session.Device.ToString();
    /// <summary>Images run through the model so far.</summary>
    public long Queries { get; private set; }
    public int MaxBatch { get; set; } = 256;

    public static OnnxClassifier Open(string path, ClassifierProfile profile, OnnxSessionOptions? options = null)
    {
        profile.Validate($"classifier profile of {path}");
        var session = OnnxSession.Open(path, options);
        try
        {
            return Create(session, profile);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    static OnnxClassifier Create(OnnxSession session, ClassifierProfile p)
    {
        string Describe() => $"inputs are {string.Join(", ", session.Inputs)}; outputs are {string.Join(", ", session.Outputs)}";
        var input = session.Inputs.FirstOrDefault(i => i.Name == p.Input)
            ?? throw new MemScanException($"{session.ModelPath} has no input '{p.Input}'; {Describe()}");
        if (input.ElementType != OnnxElementType.Float || input.Dims is not { Count: 4 } dims)
            throw new MemScanException($"{session.ModelPath}: input {input} is not a float [batch, C, H, W] image tensor; {Describe()}");
        long[] expected = [p.Channels, p.Height, p.Width];
        for (int d = 1; d < 4; d++)
            if (dims[d].Value is long fixedSize && fixedSize != expected[d - 1])
                throw new MemScanException($"{session.ModelPath}: input {input} has dimension {d} = {fixedSize}, but the profile says " +
                                           $"C×H×W = {p.Channels}×{p.Height}×{p.Width}");
        var unfed = session.Inputs.Where(i => i.Name != p.Input).ToList();
        if (unfed.Count > 0) throw new MemScanException($"{session.ModelPath}: inputs besides '{p.Input}' cannot be fed: {string.Join(", ", unfed)}");
        var output = session.Outputs.FirstOrDefault(o => o.Name == p.Output)
            ?? throw new MemScanException($"{session.ModelPath} has no output '{p.Output}'; {Describe()}");
        if (output.Dims is { Count: not 2 })
            throw new MemScanException($"{session.ModelPath}: output {output} is not [batch, classes]; {Describe()}");
        if (p.Embedding is { } e && session.Outputs.All(o => o.Name != e))
            throw new MemScanException($"{session.ModelPath} has no output '{e}' for the embedding; {Describe()}; " +
                                       "expose an intermediate tensor with --add-embedding-output TENSOR");

        int classes = p.Classes > 0 ? p.Classes : (int)(output.Dims?[1].Value ?? 0);
        var classifier = new OnnxClassifier(session, p, classes, null);
        // Run one blank image: it fixes K when the graph leaves it symbolic and D of the embedding.
        var probe = classifier.Run(new float[p.Channels * p.Height * p.Width], 1, withEmbedding: p.Embedding is not null);
        if (classes > 0 && probe.Classes != classes)
            throw new MemScanException($"{session.ModelPath}: output '{p.Output}' has {probe.Classes} classes, the profile says {classes}");
        if (probe.Classes < 2) throw new MemScanException($"{session.ModelPath}: output '{p.Output}' has {probe.Classes} class; a classifier needs at least 2");
        classifier.Classes = probe.Classes;
        classifier.EmbeddingSize = p.Embedding is null ? null : probe.EmbeddingSize;
        classifier.Queries = 0;
        return classifier;
    }

    /// <summary>
    /// Runs <paramref name="count"/> images of [0,1] pixels ([count, C, H, W] row-major) in batches of
    /// <see cref="MaxBatch"/>; embeddings only when asked and the profile names them.
    /// </summary>
    public ClassifierOutput Run(float[] pixels, int count, bool withEmbedding = false)
    {
        int per = PixelsPerImage;
        if (pixels.Length != (long)count * per)
            throw new MemScanException($"{count} images of {Channels}×{Height}×{Width} need {(long)count * per} pixels, got {pixels.Length}");
        withEmbedding &= Profile.Embedding is not null;
        float[]? logits = null, embeddings = null;
        int classes = Classes, dim = EmbeddingSize ?? 0;
        string[] outputs = withEmbedding ? [Profile.Output, Profile.Embedding!] : [Profile.Output];
        int plane = Height * Width;
        for (int start = 0; start < count; start += MaxBatch)
        {
            int n = Math.Min(MaxBatch, count - start);
            var batch = new float[n * per];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < Channels; c++)
                {
                    float mean = (float)Profile.MeanOf(c), scale = 1f / (float)Profile.StdOf(c);
                    int offset = i * per + c * plane, source = (start + i) * per + c * plane;
                    for (int q = 0; q < plane; q++) batch[offset + q] = (pixels[source + q] - mean) * scale;
                }
            var result = _session.Run([OnnxInput.Float(Profile.Input, batch, n, Channels, Height, Width)], outputs);
            var l = result[Profile.Output];
            if (l.Shape.Length != 2 || l.Shape[0] != n)
                throw new MemScanException($"{ModelPath}: output '{Profile.Output}' has shape [{string.Join(", ", l.Shape)}] for {n} images, expected [{n}, classes]");
            if (classes == 0) classes = (int)l.Shape[1];
            if (l.Shape[1] != classes) throw new MemScanException($"{ModelPath}: output '{Profile.Output}' has {l.Shape[1]} classes, expected {classes}");
            logits ??= new float[(long)count * classes];
            if (Profile.OutputKind == ClassifierProfile.Probabilities)
                for (int j = 0; j < l.Data.Length; j++) l.Data[j] = MathF.Log(Math.Max(l.Data[j], 1e-30f));
            Array.Copy(l.Data, 0, logits, (long)start * classes, l.Data.Length);
            if (withEmbedding)
            {
                var e = result[Profile.Embedding!];
                long size = e.Shape.Length < 2 ? 0 : e.Shape.Skip(1).Aggregate(1L, (a, b) => a * b); // [n, ...] flattens to [n, D]
                if (e.Shape.Length < 2 || e.Shape[0] != n)
                    throw new MemScanException($"{ModelPath}: embedding '{Profile.Embedding}' has shape [{string.Join(", ", e.Shape)}] for {n} images, expected [{n}, D]");
                if (dim == 0) dim = (int)size;
                if (size != dim) throw new MemScanException($"{ModelPath}: embedding '{Profile.Embedding}' has {size} values per image, expected {dim}");
                embeddings ??= new float[(long)count * dim];
                Array.Copy(e.Data, 0, embeddings, (long)start * dim, e.Data.Length);
            }
            Queries += n;
        }
        return new ClassifierOutput(logits ?? [], classes, embeddings, dim);
    }

    public void Dispose() => _session.Dispose();
}
