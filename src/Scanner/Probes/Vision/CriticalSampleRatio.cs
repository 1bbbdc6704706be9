using MemScan.Scanner.Models;

namespace MemScan.Scanner.Probes.Vision;

public sealed record CsrSettings
{
    /// <summary>Examples searched (training members first, as Arpit et al. measure on training data).</summary>
    public int Examples { get; init; } = 64;
    /// <summary>r: half-width of the L∞ box, in [0,1] pixel units.</summary>
    public double Radius { get; init; } = 0.05;
    /// <summary>Sign-gradient steps per example.</summary>
    public int Steps { get; init; } = 5;
    /// <summary>Most finite-difference directions per step: pixels are grouped into square blocks until there are at most this many.</summary>
    public int MaxDirections { get; init; } = 256;
}

/// <summary>
/// The critical sample ratio (Arpit et al. 2017, "A Closer Look at Memorization in Deep Networks",
/// §3.2): the share of examples x with some x' in the L∞ box of radius r around x (kept inside
/// [0,1]) that the model classifies differently. Networks that memorize (e.g. random labels) carve
/// more complex boundaries and have more critical samples.
/// <para>
/// ONNX Runtime gives no input gradients, so the search estimates them by forward finite
/// differences of the margin z_c − max_{j≠c} z_j (c = the prediction at x), one direction per
/// block of pixels: square blocks, grown until there are at most <see cref="CsrSettings.MaxDirections"/>
/// (2×2 for 28×28 MNIST, i.e. 196 directions). Each step moves every block by α = 2.5r/steps
/// against the sign of its estimated gradient (the PGD step of Madry et al.) and projects back into
/// the box. Restricting moves to blocks only shrinks the search space, so every critical sample
/// found is real: the ratio is a lower bound on the one with full gradients.
/// </para>
/// </summary>
public static class CriticalSampleRatio
{
    public sealed record Outcome(bool Critical, int Steps, double FinalMargin);

    /// <param name="pixels">[n, C, H, W] in [0,1] at the model's geometry; <paramref name="which"/> picks the examples searched</param>
    public static Outcome[] Search(OnnxClassifier model, float[] pixels, IReadOnlyList<int> which, CsrSettings settings)
    {
        int per = model.PixelsPerImage;
        var blocks = Blocks(model.Channels, model.Height, model.Width, settings.MaxDirections);
        float radius = (float)settings.Radius, alpha = (float)(2.5 * settings.Radius / Math.Max(1, settings.Steps)), h = 1e-2f;
        // Bound one ONNX batch to ~4M floats: 8 MNIST examples per call, one PaddleOCR line.
        int group = Math.Max(1, (int)(4_000_000 / ((long)(blocks.Length + 1) * per)));
        var outcomes = new Outcome[which.Count];
        for (int start = 0; start < which.Count; start += group)
        {
            int g = Math.Min(group, which.Count - start);
            var x0 = new float[g][];
            var x = new float[g][];
            for (int i = 0; i < g; i++)
            {
                x0[i] = pixels.AsSpan(which[start + i] * per, per).ToArray();
                x[i] = (float[])x0[i].Clone();
            }
            var original = model.Run(x0.SelectMany(v => v).ToArray(), g);
            var target = Enumerable.Range(0, g).Select(i => ArgMax(original.LogitsOf(i))).ToArray();
            var done = new Outcome?[g];
            for (int step = 0; step <= settings.Steps; step++)
            {
                var active = Enumerable.Range(0, g).Where(i => done[i] is null).ToArray();
                if (active.Length == 0) break;
                bool last = step == settings.Steps;
                int rowsPer = last ? 1 : blocks.Length + 1;
                var batch = new float[(long)active.Length * rowsPer * per];
                var signs = new float[active.Length * rowsPer];
                for (int a = 0; a < active.Length; a++)
                {
                    var xi = x[active[a]];
                    int baseRow = a * rowsPer;
                    xi.CopyTo(batch, (long)baseRow * per);
                    for (int d = 0; !last && d < blocks.Length; d++)
                    {
                        long offset = (long)(baseRow + 1 + d) * per;
                        xi.CopyTo(batch, offset);
                        double mean = blocks[d].Average(p => xi[p]);
                        float delta = mean < 0.5 ? h : -h; // stay inside [0,1]
                        signs[baseRow + 1 + d] = delta;
                        foreach (int p in blocks[d]) batch[offset + p] += delta;
                    }
                }
                var output = model.Run(batch, active.Length * rowsPer);
                for (int a = 0; a < active.Length; a++)
                {
                    int i = active[a], baseRow = a * rowsPer;
                    double margin = Margin(output.LogitsOf(baseRow), target[i]);
                    if (margin < 0) { done[i] = new Outcome(true, step, margin); continue; }
                    if (last) { done[i] = new Outcome(false, step, margin); continue; }
                    for (int d = 0; d < blocks.Length; d++)
                    {
                        double gradient = (Margin(output.LogitsOf(baseRow + 1 + d), target[i]) - margin) / signs[baseRow + 1 + d];
                        if (gradient == 0) continue;
                        float move = gradient > 0 ? -alpha : alpha; // lower the margin
                        foreach (int p in blocks[d])
                            x[i][p] = Math.Clamp(Math.Clamp(x[i][p] + move, x0[i][p] - radius, x0[i][p] + radius), 0f, 1f);
                    }
                }
            }
            for (int i = 0; i < g; i++) outcomes[start + i] = done[i]!;
        }
        return outcomes;
    }

    /// <summary>Pixel indices of each direction: per channel, square blocks of the smallest side giving at most <paramref name="max"/> blocks in all.</summary>
    internal static int[][] Blocks(int channels, int height, int width, int max)
    {
        int side = 1;
        while (channels * Ceil(height, side) * Ceil(width, side) > max && side < Math.Max(height, width)) side++;
        var blocks = new List<int[]>();
        for (int c = 0; c < channels; c++)
            for (int by = 0; by < height; by += side)
                for (int bx = 0; bx < width; bx += side)
                {
                    var block = new List<int>();
                    for (int y = by; y < Math.Min(by + side, height); y++)
                        for (int x = bx; x < Math.Min(bx + side, width); x++) block.Add(c * height * width + y * width + x);
                    blocks.Add([.. block]);
                }
        return [.. blocks];
    }

    static int Ceil(int a, int b) => (a + b - 1) / b;

    static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int j = 1; j < v.Length; j++) if (v[j] > v[best]) best = j;
        return best;
    }

    static double Margin(ReadOnlySpan<float> logits, int c)
    {
        double other = double.NegativeInfinity;
        for (int j = 0; j < logits.Length; j++) if (j != c && logits[j] > other) other = logits[j];
        return logits[c] - other;
    }
}
