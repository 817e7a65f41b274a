using NeuroCore.NN;
using NeuroCore.Optim;
using NeuroCore.Training;

namespace NeuroCore.Tests.Optim;

public class SchedulerTests
{
    private static SGD Sgd(float lr)
    {
        var p = Tensor.Zeros(1);
        p.RequiresGrad = true;
        return new SGD([p], lr);
    }

    private static float[] Run(LearningRateScheduler s, int steps)
    {
        var lrs = new List<float> { s.Optimizer.LearningRate };
        for (int i = 0; i < steps; i++)
        {
            s.Step();
            lrs.Add(s.Optimizer.LearningRate);
        }
        return [.. lrs];
    }

    [Fact]
    public void StepLrDecaysByGammaEveryStepSize()
    {
        var lrs = Run(new StepLR(Sgd(0.1f), stepSize: 2, gamma: 0.5f), 5);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f], lrs, new Tolerance(1e-7f));
    }

    [Fact]
    public void CosineGoesFromBaseThroughMidpointToMinimumAndStays()
    {
        var lrs = Run(new CosineAnnealingLR(Sgd(1f), tMax: 4, etaMin: 0.2f), 6);
        Assert.Equal(1f, lrs[0], 6);
        Assert.Equal(0.6f, lrs[2], 6);     // cos(π/2) = 0: halfway between 1 and 0.2
        Assert.Equal(0.2f, lrs[4], 6);
        Assert.Equal(0.2f, lrs[6], 6);
        for (int i = 1; i <= 4; i++) Assert.True(lrs[i] < lrs[i - 1]);
    }

    [Fact]
    public void LinearWarmupRampsThenHandsOverToTheNextSchedule()
    {
        var opt = Sgd(1f);
        var cosine = new CosineAnnealingLR(opt, tMax: 2);
        var warm = new LinearWarmup(opt, warmupSteps: 4, then: cosine, startFactor: 0.2f);
        var lrs = Run(warm, 7);
        Assert.Equal([0.2f, 0.4f, 0.6f, 0.8f, 1f, 0.5f, 0f, 0f], lrs, new Tolerance(1e-6f));
        Assert.Equal(1f, warm.BaseLearningRate);
    }

    [Fact]
    public void AsACallbackTheSchedulerStepsOnItsInterval()
    {
        var opt = Sgd(1f);
        ITrainingCallback perEpoch = new StepLR(opt, 1, 0.5f, ScheduleInterval.Epoch);
        var context = new TrainingContext(new Sequential(), opt);
        perEpoch.OnStepEnd(context, default);
        Assert.Equal(1f, opt.LearningRate);
        perEpoch.OnEpochEnd(context, default);
        Assert.Equal(0.5f, opt.LearningRate);

        var opt2 = Sgd(1f);
        ITrainingCallback perStep = new StepLR(opt2, 1, 0.5f, ScheduleInterval.Step);
        perStep.OnStepEnd(context, default);
        perStep.OnEpochEnd(context, default);
        Assert.Equal(0.5f, opt2.LearningRate);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(Sgd(1f), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(Sgd(1f), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(Sgd(1f), 5, startFactor: 0f));
        Assert.Throws<ArgumentException>(() => new LinearWarmup(Sgd(1f), 5, then: new StepLR(Sgd(1f), 1)));
    }

    private sealed class Tolerance(float eps) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= eps;
        public int GetHashCode(float obj) => 0;
    }
}
