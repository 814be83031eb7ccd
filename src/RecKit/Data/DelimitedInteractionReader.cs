namespace RecKit.Data;

/// <summary>
/// Streams an interaction log from delimited text, never holding the whole text in memory. Every malformed
/// line stops the load with a <see cref="DataFormatException"/> naming file, line and field, unless
/// <see cref="DelimitedReaderOptions.SkipBadLines"/> is set, in which case each is skipped, counted and reported.
/// UTF-8 and ASCII files take the fast byte path; other encodings are decoded line by line.
/// </summary>
public static class DelimitedInteractionReader
{
    public static LoadResult Read(string path, DelimitedReaderOptions? options = null, IProgress<long>? rowsProgress = null)
    {
        options ??= new DelimitedReaderOptions();
        options.Validate();
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, 0, null, "is a directory; expected a delimited text file.");
        }

        if (!File.Exists(path))
        {
            throw new DataFormatException(path, 0, null, "file not found.");
        }

        return options.Encoding.CodePage is 65001 or 20127
            ? Utf8InteractionReader.Read(path, options, rowsProgress)
            : TextLineInteractionReader.Read(path, options, rowsProgress);
    }
}
