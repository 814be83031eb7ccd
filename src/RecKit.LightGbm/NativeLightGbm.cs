using System.Runtime.InteropServices;

namespace RecKit.Ranking;

/// <summary>
/// LightGBM's own C API (the lib_lightgbm the LightGBM package ships, which ML.NET loads too), for what ML.NET's trainer
/// does not expose: the XE-NDCG objective, linear trees, the booster's text model.
/// </summary>
internal static partial class NativeLightGbm
{
    private const string Library = "lib_lightgbm";
    private const int Float32 = 0;
    private const int Int32 = 2;

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    private static partial IntPtr GetLastError();

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int DatasetCreateFromMat(float* data, int dataType, int rows, int columns, int rowMajor, string parameters, IntPtr reference, out IntPtr dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int DatasetSetField(IntPtr dataset, string field, void* data, int count, int type);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    private static partial int DatasetFree(IntPtr dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int BoosterCreate(IntPtr dataset, string parameters, out IntPtr booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    private static partial int BoosterUpdateOneIter(IntPtr booster, out int finished);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    private static partial int BoosterFree(IntPtr booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int BoosterPredictForMat(IntPtr booster, float* data, int dataType, int rows, int columns, int rowMajor, int predictType, int startIteration, int iterations, string parameters, out long length, double* result);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterSaveModelToString")]
    private static unsafe partial int BoosterSaveModelToString(IntPtr booster, int startIteration, int iterations, int importanceType, long bufferLength, out long length, byte* text);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFeatureImportance")]
    private static unsafe partial int BoosterFeatureImportance(IntPtr booster, int iterations, int importanceType, double* result);

    private static void Check(int code)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"LightGBM: {Marshal.PtrToStringUTF8(GetLastError())}");
        }
    }

    /// <summary>A booster trained on row-major rows with query groups (their sizes, in row order), <paramref name="iterations"/> rounds at most.</summary>
    public static unsafe Booster Train(float[] rows, int count, int width, float[] labels, int[] groupSizes, string parameters, int iterations)
    {
        IntPtr dataset;
        fixed (float* data = rows)
        {
            Check(DatasetCreateFromMat(data, Float32, count, width, 1, parameters, IntPtr.Zero, out dataset));
        }

        try
        {
            fixed (float* label = labels)
            {
                Check(DatasetSetField(dataset, "label", label, count, Float32));
            }

            fixed (int* group = groupSizes)
            {
                Check(DatasetSetField(dataset, "group", group, groupSizes.Length, Int32));
            }

            Check(BoosterCreate(dataset, parameters, out var booster));
            var result = new Booster(booster, width);
            try
            {
                for (var i = 0; i < iterations; i++)
                {
                    Check(BoosterUpdateOneIter(booster, out var finished));
                    if (finished != 0)
                    {
                        break;
                    }
                }
            }
            catch
            {
                result.Dispose();
                throw;
            }

            return result;
        }
        finally
        {
            _ = DatasetFree(dataset); // the booster keeps what it needs
        }
    }

    internal sealed class Booster(IntPtr handle, int width) : IDisposable
    {
        private IntPtr _handle = handle;

        public int Width { get; } = width;

        /// <summary>LightGBM's own raw scores (the trees' sum): the reference the compiled trees are tested against.</summary>
        public unsafe double[] PredictRaw(float[] rows, int count)
        {
            var result = new double[count];
            fixed (float* data = rows)
            fixed (double* output = result)
            {
                Check(BoosterPredictForMat(_handle, data, Float32, count, Width, 1, 1, 0, -1, "num_threads=1", out _, output));
            }

            return result;
        }

        public unsafe double[] Gains()
        {
            var result = new double[Width];
            fixed (double* output = result)
            {
                Check(BoosterFeatureImportance(_handle, -1, 1, output));
            }

            return result;
        }

        public unsafe string ModelText()
        {
            Check(BoosterSaveModelToString(_handle, 0, -1, 0, 0, out var length, null));
            var buffer = new byte[length];
            fixed (byte* text = buffer)
            {
                Check(BoosterSaveModelToString(_handle, 0, -1, 0, length, out _, text));
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length - 1);
        }

        public void Dispose()
        {
            if (_handle != IntPtr.Zero)
            {
                _ = BoosterFree(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }
}
