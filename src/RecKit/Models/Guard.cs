namespace RecKit.Models;

/// <summary>Argument checks shared by the models' public scoring methods.</summary>
internal static class Guard
{
    public static void User(int user, int userCount)
    {
        if ((uint)user >= (uint)userCount)
        {
            Throw(user, userCount);
        }
    }

    public static void Item(int item, int itemCount)
    {
        if ((uint)item >= (uint)itemCount)
        {
            throw new ArgumentOutOfRangeException(nameof(item), item, $"Item index must be in 0..{itemCount - 1}.");
        }
    }

    public static void Buffer(int length, int itemCount)
    {
        if (length < itemCount)
        {
            throw new ArgumentException($"The score buffer holds {length} values; the catalogue has {itemCount} items.");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Throw(int user, int userCount) =>
        throw new ArgumentOutOfRangeException(nameof(user), user, $"User index must be in 0..{userCount - 1}.");
}
