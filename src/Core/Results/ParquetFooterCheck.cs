using System.Buffers.Binary;

namespace MemScan.Scanner.Results;

/// <summary>
/// Walks a Parquet file's footer (Thrift compact protocol) and checks that every field, string and
/// list fits inside it, before Parquet.Net parses it. Parquet.Net trusts the counts it reads: a
/// corrupt list length sends its reader spinning over imaginary elements for minutes. This walk is
/// linear in the footer's size, so a hostile or damaged file costs nothing and gets a clear error.
/// </summary>
public static class ParquetFooterCheck
{
    const int MaxDepth = 64;
    static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>
    /// The largest Parquet file read: tables are read whole into memory, and one handed in from
    /// outside (an examples file, a membership table beside a third-party model) is untrusted.
    /// </summary>
    public const long MaxTableBytes = 2L << 30;

    public static void Check(string path)
    {
        using var stream = InputFile.OpenRead(path, "Parquet file", MaxTableBytes);
        Check(stream, path);
    }

    /// <summary>Checks the footer of a seekable stream; leaves the position at 0.</summary>
    public static void Check(Stream stream, string path)
    {
        long length = stream.Length;
        if (length < 12) throw Corrupt(path, $"{length} bytes is too short for a Parquet file");
        Span<byte> tail = stackalloc byte[8];
        stream.Seek(-8, SeekOrigin.End);
        stream.ReadExactly(tail);
        if (!tail[4..].SequenceEqual(Magic)) throw Corrupt(path, "no PAR1 magic at the end");
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 12)
            throw Corrupt(path, $"footer length {footerLength} does not fit in a {length}-byte file");
        var footer = new byte[footerLength];
        stream.Seek(length - 8 - footerLength, SeekOrigin.Begin);
        stream.ReadExactly(footer);
        stream.Seek(0, SeekOrigin.Begin);
        try
        {
            var walker = new Walker(footer);
            walker.Struct(0);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(path, $"footer metadata is malformed ({e.Message})");
        }
    }

    static MemScanException Corrupt(string path, string why) => new($"{path} is corrupt: {why}");

    ref struct Walker(ReadOnlySpan<byte> data)
    {
        readonly ReadOnlySpan<byte> _data = data;
        int _at;

        int Remaining => _data.Length - _at;

        byte Byte() => _at < _data.Length ? _data[_at++] : throw new InvalidDataException($"ends at byte {_at}");

        ulong VarInt()
        {
            ulong value = 0;
            for (int shift = 0; shift < 70; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw new InvalidDataException($"varint longer than 10 bytes at byte {_at}");
        }

        void Skip(ulong count)
        {
            if (count > (ulong)Remaining) throw new InvalidDataException($"{count} bytes announced at byte {_at}, {Remaining} left");
            _at += (int)count;
        }

        public void Struct(int depth)
        {
            if (depth > MaxDepth) throw new InvalidDataException($"nested deeper than {MaxDepth}");
            while (true)
            {
                byte header = Byte();
                if (header == 0) return; // stop field
                int type = header & 0x0F;
                if (header >> 4 == 0) VarInt(); // explicit field id
                Value(type, depth, inList: false);
            }
        }

        void Value(int type, int depth, bool inList)
        {
            switch (type)
            {
                case 1 or 2: // booleans: in a struct the value is the type itself, in a list one byte
                    if (inList) Byte();
                    break;
                case 3: Byte(); break;
                case 4 or 5 or 6: VarInt(); break;
                case 7: Skip(8); break;
                case 8: Skip(VarInt()); break;
                case 9 or 10: List(depth); break;
                case 11: Map(depth); break;
                case 12: Struct(depth + 1); break;
                default: throw new InvalidDataException($"unknown type {type} at byte {_at}");
            }
        }

        void List(int depth)
        {
            byte header = Byte();
            ulong size = (ulong)(header >> 4);
            if (size == 15) size = VarInt();
            // Every element takes at least one byte: a count beyond what is left is a lie.
            if (size > (ulong)Remaining) throw new InvalidDataException($"list of {size} elements at byte {_at}, {Remaining} bytes left");
            int elementType = header & 0x0F;
            for (ulong i = 0; i < size; i++) Value(elementType, depth + 1, inList: true);
        }

        void Map(int depth)
        {
            ulong size = VarInt();
            if (size == 0) return;
            if (size > (ulong)Remaining) throw new InvalidDataException($"map of {size} entries at byte {_at}, {Remaining} bytes left");
            byte types = Byte();
            for (ulong i = 0; i < size; i++)
            {
                Value(types >> 4, depth + 1, inList: true);
                Value(types & 0x0F, depth + 1, inList: true);
            }
        }
    }
}
