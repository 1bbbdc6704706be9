using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MemScan.Scanner.Corpora;

/// <summary>
/// SHA-256 over a sequence of named byte blocks, each framed as UTF-8 name, a zero byte, the block
/// length (int64 little-endian) and the bytes, so that moving bytes between blocks changes the hash.
/// This is the <c>Sha256</c> the corpora report and manifests record.
/// </summary>
internal sealed class ContentHasher : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Add(string name, ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(name));
        Span<byte> frame = stackalloc byte[9];
        frame[0] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(frame[1..], bytes.Length);
        _hash.AppendData(frame);
        _hash.AppendData(bytes);
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
