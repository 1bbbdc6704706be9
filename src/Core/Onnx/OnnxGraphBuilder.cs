namespace MemScan.Scanner.Onnx;

/// <summary>
/// A small fluent writer of ONNX graphs: declare inputs, outputs and initializers, add nodes, then
/// <see cref="Build"/> a <see cref="ModelProto"/> or <see cref="Save"/> it. Names are checked for
/// clashes as they are added; <see cref="UniqueName"/> and <see cref="Apply(string, IReadOnlyList{string}, AttributeProto[])"/>
/// generate fresh tensor names so exporters do not have to.
/// </summary>
/// <example>
/// <code>
/// var b = new OnnxGraphBuilder("mlp")
///     .AddInput("x", OnnxElementType.Float, "batch", 3)
///     .AddInitializer("w", weights, [3, 2])
///     .AddOutput("y", OnnxElementType.Float, "batch", 2);
/// var h = b.Apply("MatMul", ["x", "w"]);
/// b.AddNode("Relu", [h], ["y"]);
/// b.Save("mlp.onnx");
/// </code>
/// </example>
public sealed class OnnxGraphBuilder
{
    /// <summary>Default opset: 17 has LayerNormalization; ORT 1.31 runs up to opset 23.</summary>
    public const int DefaultOpset = 17;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _extraOpsets = new(StringComparer.Ordinal);
    private readonly List<StringStringEntryProto> _metadata = [];
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName = "main")
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        _graph = new GraphProto { Name = graphName };
    }

    public string GraphName => _graph.Name;

    /// <summary>Declares a graph input; dims are fixed sizes or symbolic names (dynamic axes).</summary>
    public OnnxGraphBuilder AddInput(string name, OnnxElementType elemType, params OnnxDim[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, elemType, dims));
        return this;
    }

    /// <summary>Declares a graph output; pass no dims to leave the rank unspecified.</summary>
    public OnnxGraphBuilder AddOutput(string name, OnnxElementType elemType, params OnnxDim[] dims)
    {
        if (_graph.Output.Any(o => o.Name == name))
            throw new ArgumentException($"graph output '{name}' is declared twice", nameof(name));
        _graph.Output.Add(ValueInfo(name, elemType, dims));
        return this;
    }

    /// <summary>Declares a graph output whose rank and shape are left to shape inference.</summary>
    public OnnxGraphBuilder AddOutputOfUnknownShape(string name, OnnxElementType elemType)
    {
        if (_graph.Output.Any(o => o.Name == name))
            throw new ArgumentException($"graph output '{name}' is declared twice", nameof(name));
        _graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elemType } } });
        return this;
    }

    /// <summary>Adds a float initializer (weights), stored as little-endian raw_data.</summary>
    public OnnxGraphBuilder AddInitializer(string name, float[] data, long[] dims) =>
        AddInitializer(OnnxTensor.FromFloats(name, data, dims));

    /// <summary>Adds an int64 initializer (shapes, axes, indices), stored as little-endian raw_data.</summary>
    public OnnxGraphBuilder AddInitializer(string name, long[] data, long[] dims) =>
        AddInitializer(OnnxTensor.FromInt64s(name, data, dims));

    /// <summary>Adds a prepared tensor as an initializer; its name must be new.</summary>
    public OnnxGraphBuilder AddInitializer(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Claim(tensor.Name);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>Adds a float constant under a fresh name and returns that name.</summary>
    public string Constant(string prefix, float[] data, long[] dims)
    {
        var name = UniqueName(prefix);
        AddInitializer(name, data, dims);
        return name;
    }

    /// <summary>Adds an int64 constant under a fresh name and returns that name (shapes, axes).</summary>
    public string Constant(string prefix, long[] data, long[] dims)
    {
        var name = UniqueName(prefix);
        AddInitializer(name, data, dims);
        return name;
    }

    /// <summary>
    /// Adds a node. An empty string in <paramref name="inputs"/> marks an omitted optional input
    /// (as ONNX does). The node gets a generated unique name unless <paramref name="name"/> is given.
    /// </summary>
    public OnnxGraphBuilder AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        params AttributeProto[] attributes) => AddNode(opType, inputs, outputs, name: null, domain: "", attributes);

    /// <summary>Adds a node with an explicit node name and operator domain.</summary>
    public OnnxGraphBuilder AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        string? name, string domain, params AttributeProto[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        if (outputs.Count == 0) throw new ArgumentException($"{opType} node needs at least one output", nameof(outputs));
        foreach (var o in outputs.Where(o => o.Length > 0)) Claim(o);
        var nodeName = name ?? UniqueNodeName(opType);
        if (!_nodeNames.Add(nodeName)) throw new ArgumentException($"node name '{nodeName}' is used twice", nameof(name));
        var node = new NodeProto { OpType = opType, Name = nodeName };
        if (domain.Length > 0) node.Domain = domain;
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in attributes)
        {
            if (!seen.Add(a.Name)) throw new ArgumentException($"{opType} node '{nodeName}' has attribute '{a.Name}' twice", nameof(attributes));
            node.Attribute.Add(a);
        }
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>Adds a one-output node with a generated output name and returns that name.</summary>
    public string Apply(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
    {
        var output = UniqueName(opType);
        AddNode(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Adds a node with <paramref name="outputCount"/> generated output names and returns them.</summary>
    public string[] Apply(string opType, IReadOnlyList<string> inputs, int outputCount, params AttributeProto[] attributes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        var outputs = Enumerable.Range(0, outputCount).Select(_ => UniqueName(opType)).ToArray();
        AddNode(opType, inputs, outputs, attributes);
        return outputs;
    }

    /// <summary>Declares a type and shape for an intermediate tensor (graph.value_info).</summary>
    public OnnxGraphBuilder AddValueInfo(string name, OnnxElementType elemType, params OnnxDim[] dims)
    {
        _graph.ValueInfo.Add(ValueInfo(name, elemType, dims));
        return this;
    }

    /// <summary>Imports another operator set (e.g. <c>com.microsoft</c>) next to the default one.</summary>
    public OnnxGraphBuilder UseOpset(string domain, long version)
    {
        _extraOpsets[domain] = version;
        return this;
    }

    /// <summary>Adds a model-level metadata entry (ModelProto.metadata_props).</summary>
    public OnnxGraphBuilder AddMetadata(string key, string value)
    {
        _metadata.Add(new StringStringEntryProto { Key = key, Value = value });
        return this;
    }

    /// <summary>
    /// A tensor name not used yet in this graph: <paramref name="prefix"/> itself if free,
    /// otherwise <c>prefix_1</c>, <c>prefix_2</c>, ... The name is reserved at once.
    /// </summary>
    public string UniqueName(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var name = prefix;
        _counters.TryGetValue(prefix, out int n);
        while (_tensorNames.Contains(name) || _reserved.Contains(name)) name = $"{prefix}_{++n}";
        _counters[prefix] = n;
        _reserved.Add(name);
        return name;
    }

    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);

    /// <summary>Assembles the model. The builder stays usable; each call returns a fresh copy.</summary>
    public ModelProto Build(int opset = DefaultOpset, string producer = "memscan", string? producerVersion = null, long irVersion = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opset, 1);
        if (_graph.Output.Count == 0) throw new InvalidOperationException($"graph '{_graph.Name}' has no outputs");
        var model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = producer,
            ProducerVersion = producerVersion ?? typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        foreach (var (domain, version) in _extraOpsets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        model.MetadataProps.AddRange(_metadata.Select(m => m.Clone()));
        return model;
    }

    /// <summary>Builds and writes the model atomically (temp file in the same folder, then rename).</summary>
    public ModelProto Save(string path, int opset = DefaultOpset, string producer = "memscan", string? producerVersion = null)
    {
        var model = Build(opset, producer, producerVersion);
        OnnxModelWriter.Save(model, path);
        return model;
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_tensorNames.Add(name))
            throw new ArgumentException($"tensor name '{name}' is already defined in graph '{_graph.Name}'", nameof(name));
    }

    private string UniqueNodeName(string opType)
    {
        int n = _nodeNames.Count;
        string name;
        do name = $"{opType}_{n++}"; while (_nodeNames.Contains(name));
        return name;
    }

    internal static ValueInfoProto ValueInfo(string name, OnnxElementType elemType, IReadOnlyList<OnnxDim> dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(d.ToProto());
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elemType, Shape = shape } },
        };
    }
}
