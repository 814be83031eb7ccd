namespace RecKit.Cluster;

/// <summary>Who holds the retrain lease and until when; in memory (a lease lost with its grain's silo is free again, and a retrain in flight still writes a complete bundle or none).</summary>
internal sealed class RetrainLeaseGrain : Grain, IRetrainLeaseGrain
{
    private string? _holder;
    private DateTimeOffset _until;

    public Task<bool> TryTakeAsync(string holder, TimeSpan lapse)
    {
        var now = DateTimeOffset.UtcNow;
        if (_holder is not null && _holder != holder && now < _until)
        {
            return Task.FromResult(false);
        }

        (_holder, _until) = (holder, now + lapse);
        return Task.FromResult(true);
    }

    public Task GiveBackAsync(string holder)
    {
        if (_holder == holder)
        {
            _holder = null;
        }

        return Task.CompletedTask;
    }
}
