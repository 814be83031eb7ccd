namespace RecKit.IO;

/// <summary>
/// Writes a file through a temporary sibling that is flushed to disk and then renamed into place, so a
/// reader sees either the old file or the complete new one, never a half-written one.
/// </summary>
public static class AtomicFile
{
    /// <exception cref="IOException">The target cannot be written; the message names the target, not the temporary file.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (Directory.Exists(full))
            {
                throw new IOException("it is a directory; a file is needed here.");
            }

            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {path}: {ex.Message.Replace(temp, path, StringComparison.Ordinal)}", ex);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Fails now, before any work, when the file <paramref name="path"/> could not be written later: it is a folder, a
    /// folder on its way is a file, or its folder cannot be created or written. Creates the folder.
    /// </summary>
    public static void CheckWritable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"cannot write {path}: it is a folder; a file is needed here.");
        }

        CheckFolder(Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <summary>Fails now when files could not be written into <paramref name="folder"/> later. Creates it.</summary>
    public static void CheckFolder(string folder) => CheckFolder(folder, folder);

    private static void CheckFolder(string folder, string shown)
    {
        try
        {
            for (var up = Path.GetFullPath(folder); !string.IsNullOrEmpty(up); up = Path.GetDirectoryName(up))
            {
                if (File.Exists(up))
                {
                    throw new IOException($"{up} is a file; a folder is needed there.");
                }
            }

            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".reckit-write-check.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {shown}: {ex.Message}", ex);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });
}
