namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// Seeded byte-level mutations of a valid file, the kind a fuzzer makes: truncation, bit flips,
/// random overwrites, inserted and deleted runs, duplicated chunks, and big varint-like bytes.
/// </summary>
public sealed class Mutator(int seed)
{
    readonly Random _random = new(seed);

    public byte[] Mutate(byte[] valid)
    {
        var bytes = valid.ToList();
        int operations = 1 + _random.Next(4);
        for (int i = 0; i < operations && bytes.Count > 0; i++)
        {
            int at = _random.Next(bytes.Count);
            switch (_random.Next(7))
            {
                case 0: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 1: // flip bits
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 2: // overwrite a run with random bytes
                    for (int k = at; k < Math.Min(bytes.Count, at + 1 + _random.Next(16)); k++) bytes[k] = (byte)_random.Next(256);
                    break;
                case 3: // insert random bytes
                    bytes.InsertRange(at, Enumerable.Range(0, 1 + _random.Next(8)).Select(_ => (byte)_random.Next(256)));
                    break;
                case 4: // delete a run
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(32)));
                    break;
                case 5: // duplicate a chunk
                    int length = Math.Min(bytes.Count - at, 1 + _random.Next(64));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default: // 0xFF runs: huge varints / lengths / dims
                    for (int k = at; k < Math.Min(bytes.Count, at + 1 + _random.Next(6)); k++) bytes[k] = 0xFF;
                    break;
            }
        }
        return bytes.ToArray();
    }
}
