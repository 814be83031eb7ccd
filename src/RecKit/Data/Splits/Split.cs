namespace RecKit.Data.Splits;

/// <summary>A train/test pair over one index space, with what the test part holds that training does not.</summary>
public sealed record Split(Interactions Train, Interactions Test)
{
    /// <summary>Test users with no training interaction (cold-start users): kept, and counted here.</summary>
    public int ColdStartUsers => CountCold(Train.CountPerUser(), Test.Users);

    /// <summary>Test items with no training interaction (cold-start items): kept, and counted here.</summary>
    public int ColdStartItems => CountCold(Train.CountPerItem(), Test.Items);

    private static int CountCold(int[] trainCounts, ReadOnlySpan<int> testIndices)
    {
        var counted = new bool[trainCounts.Length];
        var cold = 0;
        foreach (var x in testIndices)
        {
            if (trainCounts[x] == 0 && !counted[x])
            {
                counted[x] = true;
                cold++;
            }
        }

        return cold;
    }
}
