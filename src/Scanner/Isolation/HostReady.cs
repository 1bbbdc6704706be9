namespace MemScan.Scanner.Isolation;

/// <summary>What the model host says once it has loaded the model (or why it could not).</summary>
internal sealed record HostReady(int Vocab, bool Incremental, string Device, int? Context, string? ContextSource, long MaxStateBytes)
{
    public static HostReady Read(HostFrames f)
    {
        var message = (HostMessage)f.ReadInt();
        if (message == HostMessage.Error) throw new MemScanException(f.ReadString());
        if (message != HostMessage.Ready) throw new InvalidDataException($"model host said {message} instead of ready");
        int vocab = f.ReadInt();
        if (vocab <= 0 || vocab > HostFrames.MaxElements) throw new InvalidDataException($"model host announced a vocabulary of {vocab}");
        bool incremental = f.ReadBool();
        string device = f.ReadString();
        int context = f.ReadInt();
        if (context != ModelHostServer.NoContext && context <= 0) throw new InvalidDataException($"model host announced a context of {context}");
        string contextSource = f.ReadString();
        long maxStateBytes = f.ReadLong();
        if (maxStateBytes <= 0) throw new InvalidDataException($"model host announced a state limit of {maxStateBytes} bytes");
        return new HostReady(vocab, incremental, device, context == ModelHostServer.NoContext ? null : context,
            contextSource.Length == 0 ? null : contextSource, maxStateBytes);
    }
}
