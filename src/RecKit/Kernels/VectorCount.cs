namespace RecKit.Kernels;

/// <summary>A count of 16-float vectors known when the JIT compiles: picks a width of <c>AccumulateInRegisters</c>.</summary>
internal interface IVectorCount
{
    static abstract int Count { get; }
}

internal readonly struct One : IVectorCount { public static int Count => 1; }

internal readonly struct Two : IVectorCount { public static int Count => 2; }

internal readonly struct Three : IVectorCount { public static int Count => 3; }

internal readonly struct Four : IVectorCount { public static int Count => 4; }

internal readonly struct Five : IVectorCount { public static int Count => 5; }

internal readonly struct Six : IVectorCount { public static int Count => 6; }

internal readonly struct Seven : IVectorCount { public static int Count => 7; }

internal readonly struct Eight : IVectorCount { public static int Count => 8; }
