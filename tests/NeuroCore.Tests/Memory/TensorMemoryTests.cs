using NeuroCore.NN;
using NeuroCore.Optim;
using F = NeuroCore.NN.Functional;

namespace NeuroCore.Tests.Memory;

/// <summary>The tests here change the process-wide pool limit, so they do not run beside other tests.</summary>
[CollectionDefinition(nameof(TensorMemoryCollection), DisableParallelization = true)]
public sealed class TensorMemoryCollection;

/// <summary>
/// The tensor memory pool: a steady training loop stops allocating large arrays, training gives the same
/// bits with and without the pool, and nothing a user can still reach is ever recycled.
/// </summary>
[Collection(nameof(TensorMemoryCollection))]
public sealed class TensorMemoryTests
{
    private sealed class Step
    {
        public readonly Module Model;
        private readonly Adam _optimizer;
        private readonly Tensor _x;
        private readonly Tensor _y;

        public Step(Func<Generator, Module> build, int[] inputShape, int classes = 10)
        {
            var g = new Generator(7);
            Model = build(g);
            _optimizer = new Adam(Model.Parameters(), learningRate: 1e-2f);
            _x = Tensor.Randn(inputShape, g);
            var labels = new long[inputShape[0]];
            for (int i = 0; i < labels.Length; i++) labels[i] = g.NextInt(classes);
            _y = Tensor.FromArray(labels);
        }

        public float Run(bool setToNone = false)
        {
            _optimizer.ZeroGrad(setToNone);
            var loss = F.CrossEntropy(Model.Call(_x), _y);
            loss.Backward();
            _optimizer.Step();
            return loss.Item();
        }
    }

    private static Module Cnn(Generator g) => new Sequential(
        new Conv2d(1, 8, 3, generator: g), new ReLU(), new MaxPool2d(2),
        new Conv2d(8, 16, 3, padding: 1, generator: g), new ReLU(), new AvgPool2d(2),
        new Flatten(), new Linear(16 * 2 * 2, 10, generator: g));

    private static Module Mlp(Generator g) => new Sequential(
        new Linear(64, 128, generator: g), new ReLU(), new Linear(128, 96, generator: g), new GELU(),
        new Linear(96, 10, generator: g));

    // Every built-in layer kind, a nested Sequential, and a branch the backward pass must sum.
    private static Module Mixed(Generator g) => new Sequential(
        new Linear(64, 48, generator: g), new LayerNorm(48), new Tanh(),
        new Sequential(new Linear(48, 48, generator: g), new BatchNorm1d(48), new Sigmoid()),
        new Dropout(0.25f, generator: g), new Linear(48, 32, generator: g), new LeakyReLU(0.1f),
        new Linear(32, 10, generator: g), new LogSoftmax());

    /// <summary>Runs <paramref name="body"/> with pooling off (limit 0), restoring the limit afterwards.</summary>
    private static T WithoutPool<T>(Func<T> body)
    {
        var limit = TensorMemory.MaxPooledBytes;
        try
        {
            TensorMemory.MaxPooledBytes = 0;
            return body();
        }
        finally
        {
            TensorMemory.MaxPooledBytes = limit;
        }
    }

    private static void AssertSameParameters(Module expected, Module actual)
    {
        var a = expected.NamedParameters().ToList();
        var b = actual.NamedParameters().ToList();
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].Parameter.ToArray().SequenceEqual(b[i].Parameter.ToArray()), $"parameter {a[i].Name} differs");
    }

    public static TheoryData<string> Models => ["cnn", "mlp", "mixed"];

    private static Step Make(string model) => model switch
    {
        "cnn" => new Step(Cnn, [16, 1, 12, 12]),
        "mlp" => new Step(Mlp, [32, 64]),
        // Large enough for the threaded paths: GEMMs over 1M multiply-adds (shared packing) and an Adam
        // update of 64K+ elements.
        "wide" => new Step(g => new Sequential(new Linear(256, 512, generator: g), new ReLU(), new Linear(512, 10, generator: g)), [96, 256]),
        _ => new Step(Mixed, [32, 64]),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void TrainingGivesTheSameBitsWithAndWithoutThePool(string model)
    {
        // A recycled array that something still reads would change the numbers: compare against a run
        // where nothing is ever pooled (limit 0), step by step, bit for bit.
        var reference = Make(model);
        var referenceLosses = WithoutPool(() =>
        {
            var losses = Enumerable.Range(0, 6).Select(_ => reference.Run()).ToArray();
            Assert.Equal(0, TensorMemory.PooledBytes);
            return losses;
        });

        var pooled = Make(model);
        var pooledLosses = Enumerable.Range(0, 6).Select(i => pooled.Run(setToNone: i % 2 == 0)).ToArray();
        Assert.True(TensorMemory.PooledBytes > 0, "the pool should hold the recycled activations and gradients");

        Assert.Equal(referenceLosses, pooledLosses);
        AssertSameParameters(reference.Model, pooled.Model);
    }

    [Theory]
    [MemberData(nameof(Models))]
    [InlineData("wide")]
    public void TrainingGivesTheSameBitsOnOneThreadAndOnSeveral(string model)
    {
        // Everything a step runs — shared GEMM packing, conv groups, fused ReLU, the split Adam update,
        // recycled memory — must not depend on how the work was divided.
        var threads = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Make(model);
            var oneLosses = Enumerable.Range(0, 4).Select(_ => one.Run()).ToArray();
            Parallelism.MaxThreads = 3;
            var several = Make(model);
            var severalLosses = Enumerable.Range(0, 4).Select(_ => several.Run()).ToArray();
            Assert.Equal(oneLosses, severalLosses);
            AssertSameParameters(one.Model, several.Model);
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }

    [Theory]
    [InlineData("cnn", false)]
    [InlineData("mlp", false)]
    [InlineData("cnn", true)]
    [InlineData("mlp", true)]
    public void ASteadyTrainingLoopAllocatesNoLargeArrays(string model, bool setToNone)
    {
        // With setToNone (PyTorch's default) every step gives each parameter a new gradient tensor; as
        // long as nothing outside reads the old one, its array is reused for the new one.
        var step = Make(model);
        for (int i = 0; i < 5; i++) step.Run(setToNone);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) step.Run(setToNone);
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        // Without the pool the CNN step allocates about 1 MB here and the MLP about 150 KB (activations and
        // gradients); what is left is small objects (tensor headers, graph nodes) and the model's output.
        Assert.True(perStep < 32 * 1024, $"{model}: {perStep} bytes allocated per step");
    }

    [Fact]
    public void AGradientPassedToTwoBranchesIsKeptUntilBothHaveRun()
    {
        // add's backward hands the same gradient array to a and to b. b's chain runs first and rents several
        // temporaries; if that shared array went back to the pool when b was done with it, one of them would
        // overwrite what a still has to read.
        float[] XGrad()
        {
            var x = Tensor.Randn([32, 32], new Generator(9));
            x.RequiresGrad = true;
            var a = x.Relu();
            var b = ((x * 3f).Tanh() * 2f).Sigmoid().Exp();
            var s = a + b + Tensor.Ones([32, 32]); // the constant's gradient is dropped while a's and b's are pending
            (s * s).Sum().Backward();
            return x.Grad!.ToArray();
        }
        var reference = WithoutPool(XGrad);
        XGrad(); // fill the pool
        Assert.Equal(reference, XGrad());
    }

    [Fact]
    public void TheOutputTheInputAndHookedActivationsAreNeverRecycled()
    {
        var g = new Generator(3);
        var hooked = new ReLU();
        var model = new Sequential(new Linear(16, 32, generator: g), hooked, new Linear(32, 32, generator: g), new ReLU(),
            new Linear(32, 4, generator: g));
        Tensor? seen = null;
        using var _ = hooked.RegisterForwardHook((_, _, output) => seen ??= output); // the first forward's only
        var x = Tensor.Randn([8, 16], g);
        var xCopy = x.ToArray();
        var y = model.Call(x);
        var yCopy = y.ToArray();
        var seenCopy = seen!.ToArray();
        y.Square().Sum().Backward();
        for (int i = 0; i < 3; i++) model.Call(Tensor.Randn([8, 16], g)).Square().Sum().Backward(); // rent whatever was returned
        Assert.Equal(xCopy, x.ToArray());
        Assert.Equal(yCopy, y.ToArray());
        Assert.Equal(seenCopy, seen.ToArray());
    }

    /// <summary>A user-defined layer that keeps its last input, as a visualization might.</summary>
    private sealed class KeepsInput : Module
    {
        public Tensor? Last;
        public override Tensor Forward(Tensor input) => Last = input;
    }

    [Fact]
    public void ActivationsAUserModuleMayKeepAndViewsOfTheOutputAreNeverRecycled()
    {
        var g = new Generator(4);
        var keeper = new KeepsInput();
        // The last ReLU's output is viewed by Flatten, and that view is the model's output.
        var model = new Sequential(new Linear(6, 12, generator: g), new ReLU(), keeper, new Linear(12, 12, generator: g), new ReLU(),
            new Flatten(0));
        var y = model.Call(Tensor.Randn([5, 6], g));
        var kept = keeper.Last!;
        var keptCopy = kept.ToArray();
        var yCopy = y.ToArray();
        y.Sum().Backward();
        for (int i = 0; i < 3; i++) model.Call(Tensor.Randn([5, 6], g)).Sum().Backward();
        Assert.Equal(keptCopy, kept.ToArray());
        Assert.Equal(yCopy, y.ToArray());
    }

    [Fact]
    public void AViewPassedOnToAnObservedLayerIsNeverRecycled()
    {
        // Linear→ReLU (fused) hands its output to Flatten, which returns a view of it; the view goes on to a
        // layer whose hook keeps its input. The array behind that view must outlive the backward pass.
        var g = new Generator(12);
        var observed = new Linear(12, 3, generator: g);
        var model = new Sequential(new Linear(6, 12, generator: g), new ReLU(), new Flatten(), observed);
        Tensor? kept = null;
        using var _ = observed.RegisterForwardHook((_, input, _) => kept ??= input);
        model.Call(Tensor.Randn([5, 6], g)).Sum().Backward();
        var keptCopy = kept!.ToArray();
        for (int i = 0; i < 3; i++) model.Call(Tensor.Randn([5, 6], g)).Sum().Backward();
        using (NeuroCore.Autograd.GradMode.NoGrad())
            for (int i = 0; i < 3; i++) model.Call(Tensor.Randn([5, 6], g));
        Assert.Equal(keptCopy, kept.ToArray());
    }

    [Fact]
    public void RetainGraphKeepsActivationsForASecondBackward()
    {
        var g = new Generator(5);
        var model = new Sequential(new Linear(6, 12, generator: g), new ReLU(), new Linear(12, 3, generator: g));
        var loss = model.Call(Tensor.Randn([4, 6], g)).Square().Sum();
        loss.Backward(retainGraph: true);
        var first = model.Parameters().Select(p => p.Grad!.ToArray()).ToList();
        for (int i = 0; i < 2; i++) model.Call(Tensor.Randn([4, 6], g)); // forwards that could reuse freed memory
        model.ZeroGrad();
        loss.Backward();
        var second = model.Parameters().Select(p => p.Grad!.ToArray()).ToList();
        for (int i = 0; i < first.Count; i++) Assert.Equal(first[i], second[i]);
    }

    [Fact]
    public void AGradientTheUserReadIsNeverReusedAfterZeroGrad()
    {
        var g = new Generator(6);
        var model = new Sequential(new Linear(5, 7, generator: g), new ReLU(), new Linear(7, 2, generator: g));
        var optimizer = new SGD(model.Parameters(), 0.1f);
        var weight = model.Parameters().First();
        void Step()
        {
            optimizer.ZeroGrad(); // set to none
            Assert.Null(weight.Grad);
            model.Call(Tensor.Randn([4, 5], g)).Square().Sum().Backward();
            optimizer.Step();
        }
        Step();
        Step();
        var kept = weight.Grad!;
        var keptCopy = kept.ToArray();
        Step();
        Assert.NotSame(kept, weight.Grad); // a new gradient tensor, as in PyTorch
        Assert.Equal(keptCopy, kept.ToArray()); // and the one the user holds is untouched
        Assert.NotEqual(keptCopy, weight.Grad!.ToArray());
    }

    [Fact]
    public void AGradientTheUserSetIsNeverReusedAfterZeroGrad()
    {
        // The setter hands the gradient out just as the getter does: after ZeroGrad (set to none) the next
        // backward must give the weight a new array, not the one the user still holds.
        var g = new Generator(13);
        var model = new Sequential(new Linear(5, 7, generator: g), new ReLU(), new Linear(7, 2, generator: g));
        var optimizer = new SGD(model.Parameters(), 0.1f);
        var weight = model.Parameters().First();
        model.Call(Tensor.Randn([4, 5], g)).Square().Sum().Backward();
        var mine = Tensor.Ones(weight.Shape) * 0.5f; // an op's result owns its array, so only the hand-out protects it
        weight.Grad = mine;
        var mineCopy = mine.ToArray();
        for (int i = 0; i < 3; i++)
        {
            optimizer.ZeroGrad(); // set to none
            model.Call(Tensor.Randn([4, 5], g)).Square().Sum().Backward();
            optimizer.Step();
        }
        Assert.Equal(mineCopy, mine.ToArray());
    }

    [Fact]
    public void SizesLeftIdleAreReleasedWhileSizesInUseStay()
    {
        var idle = TensorMemory.Rent(12_345);
        TensorMemory.Return(idle);
        long mark = System.Diagnostics.Stopwatch.GetTimestamp();
        Thread.Sleep(1);
        var busy = TensorMemory.Rent(23_456);
        TensorMemory.Return(busy);
        Assert.True(TensorMemory.PooledBytes >= (12_345 + 23_456) * sizeof(float));
        TensorMemory.TrimIdle(mark);
        Assert.Equal(23_456 * sizeof(float), TensorMemory.PooledBytes); // only the length used since the mark
        Assert.Same(busy, TensorMemory.Rent(23_456)); // still pooled
    }

    [Fact]
    public void AFullCollectionRunsTheIdleTrim()
    {
        _ = TensorMemory.PooledBytes; // make sure the pool (and its gen-2 callback) exists
        int runs = TensorMemory.TrimRuns;
        for (int i = 0; i < 3 && TensorMemory.TrimRuns == runs; i++)
        {
            GC.Collect(2);
            GC.WaitForPendingFinalizers();
        }
        Assert.True(TensorMemory.TrimRuns > runs, "the trim did not run after a gen-2 collection");
    }

    [Fact]
    public void InferenceReusesActivationsAndGivesTheSameBits()
    {
        var step = Make("cnn");
        var inputs = Enumerable.Range(0, 4).Select(i => Tensor.Randn([16, 1, 12, 12], new Generator(100 + i))).ToList();
        float[][] Infer()
        {
            using var _ = NeuroCore.Autograd.GradMode.NoGrad();
            return inputs.Select(x => step.Model.Call(x).ToArray()).ToArray();
        }
        var reference = WithoutPool(Infer);
        Infer(); // fill the pool
        var pooled = Infer();
        for (int i = 0; i < inputs.Count; i++) Assert.Equal(reference[i], pooled[i]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Infer();
        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / inputs.Count;
        // Without reuse each call allocates its activations, about 100 KB here; what remains (about 4.5 KB)
        // is the output and small objects. The last pooling's 4 KB output, read through Flatten's view,
        // must be reused too.
        Assert.True(perCall < 6 * 1024, $"{perCall} bytes allocated per inference call");
    }

    [Fact]
    public void InferenceNeverRecyclesTheInputEvenThroughAnIdentityLayer()
    {
        var g = new Generator(8);
        // In eval mode Dropout returns its input itself; the input here owns its storage (an op's result).
        var model = new Sequential(new Dropout(0.5f, generator: g), new Linear(6, 8, generator: g), new ReLU(), new Linear(8, 3, generator: g));
        model.Eval();
        using var _ = NeuroCore.Autograd.GradMode.NoGrad();
        var x = Tensor.Randn([4, 6], g) * 2f;
        var xCopy = x.ToArray();
        var y = model.Call(x);
        var yCopy = y.ToArray();
        for (int i = 0; i < 3; i++) model.Call(Tensor.Randn([4, 6], g) * 2f);
        Assert.Equal(xCopy, x.ToArray());
        Assert.Equal(yCopy, y.ToArray());
    }

    [Fact]
    public void TheLimitIsAKnobThatTrims()
    {
        var limit = TensorMemory.MaxPooledBytes;
        try
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => TensorMemory.MaxPooledBytes = -1);
            var step = Make("cnn");
            step.Run();
            step.Run();
            Assert.True(TensorMemory.PooledBytes > 0);
            TensorMemory.MaxPooledBytes = 4096;
            Assert.True(TensorMemory.PooledBytes <= 4096, $"{TensorMemory.PooledBytes} bytes pooled over a 4096-byte limit");
            TensorMemory.MaxPooledBytes = limit;
            step.Run();
            Assert.True(TensorMemory.PooledBytes > 0);
            TensorMemory.Trim();
            Assert.Equal(0, TensorMemory.PooledBytes);
        }
        finally
        {
            TensorMemory.MaxPooledBytes = limit;
        }
    }
}
