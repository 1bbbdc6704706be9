using System.Globalization;
using Google.Protobuf;

namespace MemScan.Scanner.Onnx;

/// <summary>
/// Read-only facts about an ONNX file, parsed without ONNX Runtime and checked against
/// <see cref="OnnxLimits"/> before anything else touches it. Every refusal is a
/// <see cref="MemScanException"/> whose message names the file and the number that broke the limit.
/// </summary>
public sealed class OnnxModelInfo
{
    private OnnxModelInfo(string path, ModelProto model)
    {
        Path = path;
        Model = model;
    }

    /// <summary>Absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>
    /// The parsed model (unknown fields preserved) without the payloads of the main graph's large
    /// initializers (<see cref="WeightsDropped"/>): names, types and dims stay. Treat as read-only;
    /// to write an edited copy, edit <see cref="LoadWithWeights"/>'s model.
    /// </summary>
    public ModelProto Model { get; }

    /// <summary>How many initializers lost their payload in <see cref="Model"/>.</summary>
    public int WeightsDropped { get; private init; }

    /// <summary>
    /// Initializers at least this large keep no payload in <see cref="Model"/>. Why: the session
    /// is what holds the weights; a second, managed copy for as long as the model is open made the
    /// scan of a 475 MiB model hold ~1 GiB more than ONNX Runtime's own load (docs/PERFORMANCE.md).
    /// </summary>
    public const int DroppedPayloadBytes = 64 << 10;

    /// <summary>The limits the file was checked with, to check it again when it is read whole.</summary>
    private OnnxLimits Limits { get; init; } = OnnxLimits.Default;

    /// <summary>
    /// The whole model, weights included, read and checked again from <see cref="Path"/> (the
    /// graph editors write copies of it). A file changed since into something the limits refuse is
    /// refused as at <see cref="Load"/>.
    /// </summary>
    public ModelProto LoadWithWeights() => Read(Path, Limits, dropWeights: false).Model;

    public long IrVersion => Model.IrVersion;
    public string ProducerName => Model.ProducerName;
    public string ProducerVersion => Model.ProducerVersion;
    public long FileBytes { get; private init; }

    public IReadOnlyList<OnnxOpset> Opsets { get; private init; } = [];

    /// <summary>Version of the default (ai.onnx) operator set, 0 when none is imported.</summary>
    public long Opset => Opsets.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;

    /// <summary>Graph inputs that are real inputs (initializers listed as inputs, as IR &lt; 4 does, are left out).</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; private init; } = [];
    public IReadOnlyList<OnnxValueInfo> Outputs { get; private init; } = [];

    /// <summary>Nodes in the main graph, its subgraphs and local functions.</summary>
    public int NodeCount { get; private init; }
    public int InitializerCount { get; private init; }

    /// <summary>Bytes of initializer data, external files included.</summary>
    public long InitializerBytes { get; private init; }

    /// <summary>Whether any tensor keeps its data in an external file beside the model.</summary>
    public bool HasExternalData { get; private init; }

    /// <summary>Distinct operator types, sorted; a custom-domain op appears as <c>domain:Op</c>.</summary>
    public IReadOnlyList<string> OpTypes { get; private init; } = [];

    /// <summary>Distinct operator domains used by nodes ("" is ai.onnx), sorted.</summary>
    public IReadOnlyList<string> Domains { get; private init; } = [];

    public IReadOnlyDictionary<string, string> Metadata { get; private init; } = new Dictionary<string, string>();

    /// <summary>Parses and validates <paramref name="path"/>.</summary>
    /// <exception cref="MemScanException">missing, unreadable, not ONNX, or over a limit.</exception>
    public static OnnxModelInfo Load(string path, OnnxLimits? limits = null) => Read(path, limits ?? OnnxLimits.Default, dropWeights: true);

    private static OnnxModelInfo Read(string path, OnnxLimits limits, bool dropWeights)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        // A pipe, FIFO or device is refused here, before anything blocks on it: ONNX Runtime opens
        // the model again by its path (in the model host, too), so a model must be a file that can
        // be read twice; a valid model through <(cat model.onnx) would reach it empty.
        var (kind, fileBytes) = InputFile.KindOf(full);
        InputFile.RefuseUnlessRegular(kind, path, "ONNX model");
        if (fileBytes > limits.MaxFileBytes)
            throw new MemScanException($"{path} is {fileBytes} bytes, over the limit of {limits.MaxFileBytes} bytes for an ONNX file");

        var (model, check) = Parse(path, full, limits);
        int dropped = dropWeights ? DropLargePayloads(model.Graph) : 0;

        var initializerNames = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return new OnnxModelInfo(full, model)
        {
            Limits = limits,
            WeightsDropped = dropped,
            FileBytes = fileBytes,
            Opsets = model.OpsetImport.Select(o => new OnnxOpset(o.Domain, o.Version)).ToArray(),
            Inputs = model.Graph.Input.Where(i => !initializerNames.Contains(i.Name)).Select(OnnxValueInfo.FromProto).ToArray(),
            Outputs = model.Graph.Output.Select(OnnxValueInfo.FromProto).ToArray(),
            NodeCount = check.Nodes,
            InitializerCount = model.Graph.Initializer.Count,
            InitializerBytes = check.InitializerBytes,
            HasExternalData = check.HasExternalData,
            OpTypes = check.OpTypes.Order(StringComparer.Ordinal).ToArray(),
            Domains = check.Domains.Order(StringComparer.Ordinal).ToArray(),
            Metadata = model.MetadataProps.GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        };
    }

    /// <summary>Clears the payload of every main-graph initializer of at least <see cref="DroppedPayloadBytes"/>; returns how many.</summary>
    private static int DropLargePayloads(GraphProto graph)
    {
        int dropped = 0;
        foreach (var t in graph.Initializer)
        {
            if (NumericPayloadBytes(t) < DroppedPayloadBytes) continue;
            t.ClearRawData();
            t.FloatData.Clear(); t.Int32Data.Clear(); t.Int64Data.Clear(); t.DoubleData.Clear(); t.Uint64Data.Clear();
            dropped++;
        }
        return dropped;
    }

    /// <summary>Bytes of a tensor's inline payload: its raw data, else its typed numeric fields (strings not counted).</summary>
    private static long NumericPayloadBytes(TensorProto t) => t.HasRawData ? t.RawData.Length
        : 4L * (t.FloatData.Count + t.Int32Data.Count) + 8L * (t.Int64Data.Count + t.DoubleData.Count + t.Uint64Data.Count);

    /// <summary>Parses <paramref name="full"/> and checks it against the limits (names <paramref name="path"/> in refusals).</summary>
    private static (ModelProto Model, Checker Check) Parse(string path, string full, OnnxLimits limits)
    {
        ModelProto model;
        try
        {
            using var stream = InputFile.OpenRead(full, "ONNX model", limits.MaxFileBytes);
            using var input = CodedInputStream.CreateWithLimits(stream, (int)Math.Min(limits.MaxFileBytes, int.MaxValue), limits.MaxRecursionDepth);
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new MemScanException($"{path} is not a valid ONNX model: {FirstLine(e.Message)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"cannot read ONNX model {path}: {e.Message}", e);
        }

        if (!model.HasIrVersion || model.IrVersion <= 0)
            throw new MemScanException($"{path} is not a valid ONNX model: it has no ir_version");
        if (model.Graph is null)
            throw new MemScanException($"{path} is not a valid ONNX model: it has no graph");

        var check = new Checker(path, System.IO.Path.GetDirectoryName(full)!, model, limits);
        check.Run();
        return (model, check);
    }

    public override string ToString() =>
        $"{System.IO.Path.GetFileName(Path)}: ir {IrVersion}, opset {Opset}, {NodeCount} nodes, " +
        $"{InitializerCount} initializers ({InitializerBytes} bytes), inputs [{string.Join("; ", Inputs)}], outputs [{string.Join("; ", Outputs)}]";

    public static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 0 ? line : message.Trim();
    }

    /// <summary>Walks the graph, subgraphs and functions once, enforcing the limits.</summary>
    private sealed class Checker(string path, string modelDir, ModelProto model, OnnxLimits limits)
    {
        public int Nodes;
        public long InitializerBytes;
        public bool HasExternalData;
        public readonly HashSet<string> OpTypes = new(StringComparer.Ordinal);
        public readonly HashSet<string> Domains = new(StringComparer.Ordinal);
        private readonly HashSet<(string Domain, string Name)> _localFunctions =
            model.Functions.Select(f => (f.Domain, f.Name)).ToHashSet();

        public void Run()
        {
            Graph(model.Graph, "graph");
            foreach (var f in model.Functions)
                foreach (var n in f.Node) Node(n, $"function '{f.Domain}:{f.Name}'");
        }

        private MemScanException Refuse(string why) => new($"{path} is refused: {why}");

        private void Graph(GraphProto g, string where)
        {
            foreach (var v in g.Input.Concat(g.Output).Concat(g.ValueInfo)) ValueInfo(v, where);
            foreach (var t in g.Initializer) Tensor(t, $"initializer '{t.Name}' in {where}", countBytes: true);
            foreach (var n in g.Node) Node(n, where);
        }

        private void Node(NodeProto n, string where)
        {
            if (++Nodes > limits.MaxNodes)
                throw Refuse($"it has more than {limits.MaxNodes} nodes (limit MaxNodes)");
            var domain = n.Domain;
            if (!limits.IsDomainAllowed(domain) && !_localFunctions.Contains((domain, n.OpType)))
                throw Refuse($"node '{n.Name}' ({n.OpType}) in {where} uses custom operator domain '{domain}'; " +
                             $"only {string.Join(", ", OnnxLimits.StandardDomains.Select(d => d.Length == 0 ? "\"\"" : d))} are allowed " +
                             "(custom ops run native code from outside ONNX Runtime)");
            Domains.Add(domain);
            OpTypes.Add(domain is "" or "ai.onnx" ? n.OpType : $"{domain}:{n.OpType}");
            foreach (var a in n.Attribute)
            {
                var at = $"attribute '{a.Name}' of node '{n.Name}' ({n.OpType}) in {where}";
                if (a.T is not null) Tensor(a.T, at, countBytes: true);
                foreach (var t in a.Tensors) Tensor(t, at, countBytes: true);
                if (a.G is not null) Graph(a.G, $"subgraph of {at}");
                foreach (var sub in a.Graphs) Graph(sub, $"subgraph of {at}");
            }
        }

        private void ValueInfo(ValueInfoProto v, string where)
        {
            var shape = v.Type?.TensorType?.Shape;
            if (shape is null) return;
            if (shape.Dim.Count > limits.MaxRank)
                throw Refuse($"value '{v.Name}' in {where} has rank {shape.Dim.Count}, over the limit of {limits.MaxRank}");
            foreach (var d in shape.Dim)
                if (d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > limits.MaxDim)
                    throw Refuse($"value '{v.Name}' in {where} declares dimension {d.DimValue}, over the limit of {limits.MaxDim} (MaxDim)");
        }

        private void Tensor(TensorProto t, string what, bool countBytes)
        {
            if (t.Dims.Count > limits.MaxRank)
                throw Refuse($"{what} has rank {t.Dims.Count}, over the limit of {limits.MaxRank}");
            foreach (var d in t.Dims)
            {
                if (d < 0) throw Refuse($"{what} has negative dimension {d}");
                if (d > limits.MaxDim) throw Refuse($"{what} has dimension {d}, over the limit of {limits.MaxDim} (MaxDim)");
            }

            long bytes;
            bool external = t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0;
            if (external)
            {
                HasExternalData = true;
                bytes = External(t, what);
            }
            else
            {
                bytes = NumericPayloadBytes(t) + (t.HasRawData ? 0 : t.StringData.Sum(s => (long)s.Length));
            }

            // The declared shape must not promise more than the limit either: ORT allocates from dims.
            var bits = ((OnnxElementType)t.DataType).SizeInBits();
            var count = OnnxTensor.ElementCount(t);
            if (count is null || (bits > 0 && count.Value > limits.MaxInitializerBytes * 8 / bits))
                throw Refuse($"{what} declares dims [{string.Join(", ", t.Dims)}], more than {limits.MaxInitializerBytes} bytes (MaxInitializerBytes)");

            if (!countBytes) return;
            InitializerBytes += bytes;
            if (InitializerBytes > limits.MaxInitializerBytes)
                throw Refuse($"its initializers hold more than {limits.MaxInitializerBytes} bytes (reached {InitializerBytes} at {what}; limit MaxInitializerBytes)");
        }

        private long External(TensorProto t, string what)
        {
            string? location = null;
            long offset = 0, length = -1;
            foreach (var e in t.ExternalData)
            {
                switch (e.Key)
                {
                    case "location": location = e.Value; break;
                    case "offset" when !long.TryParse(e.Value, NumberStyles.None, CultureInfo.InvariantCulture, out offset):
                        throw Refuse($"{what} has external data offset '{e.Value}', not a non-negative integer");
                    case "length" when !long.TryParse(e.Value, NumberStyles.None, CultureInfo.InvariantCulture, out length):
                        throw Refuse($"{what} has external data length '{e.Value}', not a non-negative integer");
                }
            }
            if (location is null) throw Refuse($"{what} is marked external but names no location");
            var (real, error) = SafeModelPath.Resolve(modelDir, location);
            if (error is not null) throw Refuse($"{what} has external data that {error}");
            var (kind, fileBytes) = InputFile.KindOf(real!);
            if (kind == FileKind.Missing) throw Refuse($"{what} has external data file '{location}' that does not exist in {modelDir}");
            // ONNX Runtime reads external data by path: a FIFO or device there would hang or never end
            if (kind != FileKind.RegularFile) throw Refuse($"{what} has external data file '{location}' that is {kind.Describe()}, not a regular file");
            if (length < 0) length = fileBytes - offset;
            if (offset > fileBytes || length > fileBytes - offset)
                throw Refuse($"{what} reads bytes {offset}..{offset + length} of external file '{location}', which has only {fileBytes}");
            return length;
        }
    }
}
