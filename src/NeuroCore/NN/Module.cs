namespace NeuroCore.NN;

/// <summary>
/// Base class of layers and models, like <c>torch.nn.Module</c>: holds named parameters, buffers
/// and child modules, a train/eval mode, and forward hooks (used to record activations).
/// </summary>
/// <remarks>
/// Subclasses register what they own in their constructor with <see cref="RegisterParameter"/>,
/// <see cref="RegisterBuffer"/> and <see cref="RegisterModule"/>, in the order PyTorch would, so that
/// <see cref="NamedParameters"/> and <see cref="StateDict"/> use PyTorch's names (<c>0.weight</c>).
/// </remarks>
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _parameters = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];
    private readonly List<(string Name, Module Value)> _children = [];
    private readonly List<Action<Module, Tensor, Tensor>> _forwardHooks = [];

    /// <summary>Computes the module's output. Call <see cref="Call"/> to also run forward hooks.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Runs <see cref="Forward"/> and then every forward hook with (module, input, output).</summary>
    public Tensor Call(Tensor input)
    {
        var output = Forward(input);
        foreach (var hook in _forwardHooks) hook(this, input, output);
        return output;
    }

    /// <summary>
    /// False for built-in layers, whose <see cref="Forward"/> keeps neither its input nor its output
    /// anywhere but in the autograd graph. A user-defined module might (a field holding the last
    /// activation), so the default is true.
    /// </summary>
    internal virtual bool MayKeepTensors => true;

    /// <summary>
    /// This module's forward followed by ReLU as one fused operation, or null when the module has no fused
    /// form (<see cref="Fusion"/> asks when a ReLU follows and neither module is observed).
    /// </summary>
    internal virtual Tensor? ForwardThenRelu(Tensor input) => null;

    /// <summary>
    /// True when nothing outside the autograd graph sees this module's input and output: it keeps no
    /// tensors and has no forward hooks. The memory owner (<see cref="Memory.ActivationHandOff"/>) recycles the
    /// activations a <see cref="Sequential"/> passes between two such modules.
    /// </summary>
    internal bool IsGraphPrivate => !MayKeepTensors && _forwardHooks.Count == 0;

    /// <summary>
    /// Registers <paramref name="hook"/> to run after every <see cref="Call"/>; dispose the result to remove it.
    /// </summary>
    public IDisposable RegisterForwardHook(Action<Module, Tensor, Tensor> hook)
    {
        _forwardHooks.Add(hook);
        return new HookHandle(() => _forwardHooks.Remove(hook));
    }

    /// <summary>True in training mode (the default); affects Dropout and BatchNorm.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Sets training mode on this module and all descendants; returns this module.</summary>
    public Module Train(bool mode = true)
    {
        IsTraining = mode;
        foreach (var (_, child) in _children) child.Train(mode);
        return this;
    }

    /// <summary>Sets evaluation mode (same as <c>Train(false)</c>); returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>A short type name shown in summaries and snapshots (e.g. <c>Linear</c>).</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>Describes the module's configuration for summaries and snapshot manifests (e.g. in/out features).</summary>
    public virtual IReadOnlyDictionary<string, object> Config => new Dictionary<string, object>();

    /// <summary>This module's direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>All descendants (depth first, this module first with name ""), with dotted names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in _children)
            foreach (var item in child.NamedModules(prefix.Length == 0 ? name : prefix + "." + name))
                yield return item;
    }

    /// <summary>All trainable parameters with their state-dict names (<c>0.weight</c>, <c>0.bias</c>, …).</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters) yield return (Join(prefix, name), p);
        foreach (var (name, child) in _children)
            foreach (var item in child.NamedParameters(Join(prefix, name)))
                yield return item;
    }

    /// <summary>All trainable parameters (for an optimizer).</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>All buffers (non-trainable state such as BatchNorm running statistics) with their names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers) yield return (Join(prefix, name), b);
        foreach (var (name, child) in _children)
            foreach (var item in child.NamedBuffers(Join(prefix, name)))
                yield return item;
    }

    /// <summary>Parameters and buffers by PyTorch state-dict name, in registration order.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>();
        foreach (var (n, p) in NamedParameters()) dict[n] = p;
        foreach (var (n, b) in NamedBuffers()) dict[n] = b;
        return dict;
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers by name. With <paramref name="strict"/>,
    /// missing or unexpected names are an error; shapes must always match.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new ArgumentException(
                    $"LoadStateDict: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", unexpected)}].");
        }
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var value)) continue;
            if (!target.ShapeRef.AsSpan().SequenceEqual(value.ShapeRef))
                throw new ArgumentException(
                    $"LoadStateDict: '{name}' has shape {Layout.ShapeUtil.Format(value.ShapeRef)} but the module expects {Layout.ShapeUtil.Format(target.ShapeRef)}.");
            if (value.DType != target.DType)
                throw new ArgumentException($"LoadStateDict: '{name}' is {value.DType} but the module expects {target.DType}.");
            target.CopyFrom(value);
        }
    }

    /// <summary>
    /// Clears the gradients of all parameters: sets them to null (<paramref name="setToNone"/> true, the
    /// default) or fills the existing gradient tensors with zeros so the next backward accumulates into them
    /// without allocating; see <see cref="Optim.Optimizer.ZeroGrad(bool)"/> for what each choice means.
    /// </summary>
    /// <param name="setToNone">Set gradients to null (true) or zero them in place (false).</param>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters()) Tensor.ZeroGrad(p, setToNone);
    }

    /// <summary>Registers a trainable parameter (marks it RequiresGrad) and returns it.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        parameter.RequiresGrad = true;
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers a non-trainable buffer saved in the state dict and returns it.</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        _buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module and returns it.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        _children.Add((name, module));
        return module;
    }

    /// <summary>Replaces a registered parameter's tensor (same name), e.g. after loading.</summary>
    protected void ReplaceParameter(string name, Tensor parameter)
    {
        int i = _parameters.FindIndex(p => p.Name == name);
        if (i < 0) throw new ArgumentException($"No parameter named '{name}'.");
        parameter.RequiresGrad = true;
        _parameters[i] = (name, parameter);
    }

    /// <summary>
    /// A description of the module as PyTorch prints one: a module without children on one line, such as
    /// <c>Linear(in_features=2, out_features=16, bias=True)</c>; a module with children (a <see cref="Sequential"/>)
    /// as its type name followed by one indented line per child, <c>(name): child</c>, nested children indented
    /// further:
    /// <code>
    /// Sequential(
    ///   (0): Linear(in_features=784, out_features=256, bias=True)
    ///   (1): ReLU
    ///   (2): Linear(in_features=256, out_features=10, bias=True)
    /// )
    /// </code>
    /// </summary>
    public override string ToString()
    {
        string config = string.Join(", ", Config.Select(kv => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value}")));
        if (_children.Count == 0) return config.Length == 0 ? TypeName : $"{TypeName}({config})";
        // As torch's Module.__repr__: the module's own settings (if any) first, then one line per child.
        var text = new System.Text.StringBuilder(TypeName).Append("(\n");
        if (config.Length != 0) text.Append("  ").Append(config).Append('\n');
        foreach (var (name, child) in _children)
            text.Append("  (").Append(name).Append("): ").Append(child.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
        return text.Append(')').ToString();
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private sealed class HookHandle(Action remove) : IDisposable
    {
        private Action? _remove = remove;
        public void Dispose()
        {
            _remove?.Invoke();
            _remove = null;
        }
    }
}
