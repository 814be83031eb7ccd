using RecKit.Kernels;

namespace RecKit.Tests.Kernels;

public class WorkerLoopTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 4)]
    [InlineData(10_000, 2)]
    [InlineData(10_000, 3)]
    public void EveryIndexRunsOnce_AndScratchIsMadeOncePerWorker(int count, int workers)
    {
        var visits = new int[count];
        var made = 0;
        WorkerLoop.For(
            count,
            new ParallelOptions { MaxDegreeOfParallelism = workers },
            () =>
            {
                Interlocked.Increment(ref made);
                return new int[1];
            },
            (i, scratch) =>
            {
                scratch[0]++;
                Interlocked.Increment(ref visits[i]);
                if (i % 1000 == 0)
                {
                    Thread.Sleep(5); // long enough that Parallel.For would hand work to fresh tasks
                }
            });

        Assert.All(visits, v => Assert.Equal(1, v));
        Assert.InRange(made, 0, Math.Min(count, workers));
    }

    [Fact]
    public void Cancellation_StopsTheLoop()
    {
        using var cancel = new CancellationTokenSource();
        var ran = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => WorkerLoop.For(
            1_000_000,
            new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancel.Token },
            () => 0,
            (i, _) =>
            {
                if (Interlocked.Increment(ref ran) == 100)
                {
                    cancel.Cancel();
                }
            }));
        Assert.True(ran < 1_000_000);
    }
}
