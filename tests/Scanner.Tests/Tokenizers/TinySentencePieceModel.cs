using Google.Protobuf;

namespace MemScan.Scanner.Tests.Tokenizers;

/// <summary>
/// Writes a minimal SentencePiece BPE model (ModelProto of sentencepiece_model.proto) so that the
/// loader is tested on a real .model file without shipping one. Pieces are ordered as SentencePiece's
/// trainer orders them, score = -id: a pair merges when the joined piece exists, highest score first.
/// "hello world" becomes "▁hello▁world" and merges he, ll, hell, hello, ▁hello, or, ld, orld, world,
/// ▁world: ids [7, 12].
/// </summary>
internal static class TinySentencePieceModel
{
    public static readonly string[] Pieces =
    [
        "<unk>", "<s>", "</s>",
        "he", "ll", "hell", "hello", "▁hello", "or", "ld", "orld", "world", "▁world",
        "▁", "h", "e", "l", "o", "w", "r", "d",
    ];

    public static byte[] Bytes()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        for (int id = 0; id < Pieces.Length; id++)
        {
            int type = id switch { 0 => 2, 1 or 2 => 3, _ => 1 }; // UNKNOWN, CONTROL, NORMAL
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(Message(o =>
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(Pieces[id]);
                o.WriteTag(2, WireFormat.WireType.Fixed32); o.WriteFloat(id < 3 ? 0f : -id);
                o.WriteTag(3, WireFormat.WireType.Varint); o.WriteEnum(type);
            }));
        }
        output.WriteTag(2, WireFormat.WireType.LengthDelimited); // trainer_spec
        output.WriteBytes(Message(o =>
        {
            o.WriteTag(3, WireFormat.WireType.Varint); o.WriteEnum(2); // model_type BPE
            o.WriteTag(4, WireFormat.WireType.Varint); o.WriteInt32(Pieces.Length); // vocab_size
            o.WriteTag(35, WireFormat.WireType.Varint); o.WriteBool(false); // byte_fallback
            o.WriteTag(40, WireFormat.WireType.Varint); o.WriteInt32(0); // unk_id
            o.WriteTag(41, WireFormat.WireType.Varint); o.WriteInt32(1); // bos_id
            o.WriteTag(42, WireFormat.WireType.Varint); o.WriteInt32(2); // eos_id
            o.WriteTag(43, WireFormat.WireType.Varint); o.WriteInt32(-1); // pad_id
        }));
        output.WriteTag(3, WireFormat.WireType.LengthDelimited); // normalizer_spec
        output.WriteBytes(Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString("identity");
            o.WriteTag(3, WireFormat.WireType.Varint); o.WriteBool(true); // add_dummy_prefix
            o.WriteTag(4, WireFormat.WireType.Varint); o.WriteBool(false); // remove_extra_whitespaces
            o.WriteTag(5, WireFormat.WireType.Varint); o.WriteBool(true); // escape_whitespaces
        }));
        output.Flush();
        return buffer.ToArray();
    }

    static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}
