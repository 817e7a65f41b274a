namespace NeuroCore.Tests;

public class ParallelismTests
{
    [Fact]
    public void ForRunsEveryPartExactlyOnce()
    {
        var hits = new int[37];
        Parallelism.For(hits.Length, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ForRethrowsAPartsException()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Parallelism.For(8, i =>
        {
            if (i == 5) throw new InvalidOperationException("part 5");
        }));
        Assert.Equal("part 5", ex.Message);
    }

    [Fact]
    public void MaxThreadsRejectsValuesBelowOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
        Assert.True(Parallelism.MaxThreads >= 1);
    }
}
