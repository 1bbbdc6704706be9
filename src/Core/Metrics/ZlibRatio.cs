using System.IO.Compression;
using System.Text;

namespace MemScan.Scanner.Metrics;

/// <summary>
/// The zlib membership signal of Carlini et al. 2021 ("Extracting Training Data from Large Language
/// Models", §5.2): compare the model's loss with the text's zlib entropy, so that text the model
/// finds easy only because it is repetitive or trivial (low loss <i>and</i> low zlib entropy) is
/// not mistaken for memorized text. Here ratio = loss (nats per token) / zlib length in bits of the
/// UTF-8 text (zlib format: ZLibStream with <see cref="CompressionLevel.Optimal"/>,
/// i.e. zlib level 6 as Python's <c>zlib.compress</c>, header and checksum included; byte-identical
/// to <c>zlib.compress</c> on the texts checked).
/// <b>Lower = likelier member</b>: a low loss on text that does not compress well. (Carlini et al.
/// rank by the inverse, zlib entropy / log-perplexity, higher first; the order is the same.)
/// </summary>
public static class ZlibRatio
{
    const int EmptyFrameBytes = 8;

    /// <summary>8 × the length of the zlib-compressed UTF-8 bytes of <paramref name="text"/>.</summary>
    public static int CompressedBits(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        // ZLibStream writes nothing at all for empty input; zlib itself emits an 8-byte frame
        // (header, empty final block, Adler-32), as Python's zlib.compress(b"") does
        if (bytes.Length == 0) return EmptyFrameBytes * 8;
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(bytes);
        return checked((int)buffer.Length * 8);
    }

    /// <summary>loss / zlib bits of the text.</summary>
    public static double Compute(double loss, string text) => loss / CompressedBits(text);

    /// <summary>Mean token loss (see <see cref="SequenceLoss.Mean"/>) / zlib bits of the text.</summary>
    public static double Compute(ReadOnlySpan<float> tokenLogProbs, string text) =>
        Compute(SequenceLoss.Mean(tokenLogProbs), text);
}
